import type { Config } from '../config.js';
import type { Clock } from '../core/clock.js';
import type { RandomSource } from '../core/random.js';
import type { Logger } from '../log.js';

/** What every builder of the composition root takes: the configuration, time, chance and the log. */
export interface Root {
  config: Config;
  clock: Clock;
  random: RandomSource;
  logger: Logger;
}
