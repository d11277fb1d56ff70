/** Where the security settings open, until the settings page takes them in. */
export const SECURITY_HASH = '#/settings/security';
