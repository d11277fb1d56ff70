/** Injection token of the validated MailhiveConfig. */
export const MAILHIVE_CONFIG = Symbol('MAILHIVE_CONFIG');
