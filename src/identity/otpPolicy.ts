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
}

export const DEFAULT_OTP_POLICY: OtpPolicy = {
  ttlSeconds: 600,
  maxAttempts: 5,
  resendSeconds: 60,
  maxPerHour: 5,
  deadCodesBeforeThrottle: 3,
  throttleMinutes: 15,
  identifiersPerConversation: 3,
};
