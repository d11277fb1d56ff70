export { SecuritySettings, type SecuritySettingsProps } from './security-settings.js';
export { SECURITY_HASH } from './security-route.js';
export { useSecurityText } from './security-messages.js';
