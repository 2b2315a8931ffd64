/** The one-time-code rules; every number comes from the configuration. */
export interface OtpPolicy {
  ttlSeconds: number;
  maxAttempts: number;
  resendSeconds: number;
  maxPerHour: number;
  deadCodesBeforeThrottle: number;
  throttleMinutes: number;
  /** Different phone numbers or emails one conversation may ask codes for in an hour. */
  identifiersPerConversation: number;
  /** Wrong codes one client address may type in an hour, on every surface and instance (guessBudget.ts). */
  guessesPerAddress: number;
  /** The same for its network: the /24 of an IPv4 address, the /64 of an IPv6 one. */
  guessesPerRange: number;
}

export const DEFAULT_OTP_POLICY: OtpPolicy = {
  ttlSeconds: 600,
  maxAttempts: 5,
  resendSeconds: 60,
  maxPerHour: 5,
  deadCodesBeforeThrottle: 3,
  throttleMinutes: 15,
  identifiersPerConversation: 3,
  guessesPerAddress: 15,
  guessesPerRange: 60,
};
