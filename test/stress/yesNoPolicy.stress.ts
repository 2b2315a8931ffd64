import { describeYesNoPolicy } from '../support/yesNoPolicy.js';

describeYesNoPolicy(10_000);
