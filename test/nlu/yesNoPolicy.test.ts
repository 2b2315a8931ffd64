import { describeYesNoPolicy } from '../support/yesNoPolicy.js';

describeYesNoPolicy(500);
