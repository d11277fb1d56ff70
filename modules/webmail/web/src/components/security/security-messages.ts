import { useI18n } from '../../i18n/i18n.js';

// The strings of the security settings and of the sign-in's second step, kept beside them so the settings can move
// as a unit; every key exists in both languages (the zh-CN table is typed against the English one).
const en = {
  security: 'Security',
  back: 'Back to mail',
  twoFactor: 'Two-factor sign-in',
  twoFactorOn: 'On: signing in asks for a code from your authenticator app.',
  twoFactorOff: 'Off: your password alone signs you in.',
  twoFactorRequired: 'Your organisation requires two-factor sign-in. Set it up to continue.',
  mailClientsNote: 'With two-factor sign-in on, mail programs (IMAP, POP3, SMTP) sign in with app passwords.',
  setUp: 'Set up',
  currentPassword: 'Current password',
  continue: 'Continue',
  scanQr: 'Scan this code with an authenticator app, or type the key into it.',
  secretKey: 'Key',
  qrAlt: 'QR code for the authenticator app',
  code: 'Code from the app',
  confirm: 'Turn on',
  recoveryCodes: 'Recovery codes',
  recoveryCodesNote: 'Keep these codes somewhere safe. Each one signs you in once if you lose your phone. They are shown only now.',
  recoveryCodesLeft: '{count} unused recovery codes.',
  newRecoveryCodes: 'New recovery codes',
  turnOff: 'Turn off',
  codeOrRecovery: 'Code from the app or a recovery code',
  done: 'Done',
  cancel: 'Cancel',
  invalidCode: 'The code is not valid.',
  wrongPassword: 'Wrong password.',
  failed: 'That did not work. Try again.',
  signInCode: 'Enter the code from your authenticator app, or one of your recovery codes.',
  verify: 'Verify',
  sessions: 'Where you are signed in',
  sessionsNote: 'Changing your password signs out every other session.',
  thisSession: 'This session',
  lastSeen: 'Last seen {time}',
  endSession: 'Sign out',
  unknownBrowser: 'Unknown browser',
};

export type SecurityKey = keyof typeof en;

const zhCN: Record<SecurityKey, string> = {
  security: '安全',
  back: '返回邮件',
  twoFactor: '两步验证',
  twoFactorOn: '已开启：登录时需要输入身份验证器应用中的验证码。',
  twoFactorOff: '已关闭：只用密码即可登录。',
  twoFactorRequired: '您的组织要求开启两步验证。请先完成设置。',
  mailClientsNote: '开启两步验证后，邮件客户端（IMAP、POP3、SMTP）须使用应用专用密码登录。',
  setUp: '设置',
  currentPassword: '当前密码',
  continue: '继续',
  scanQr: '用身份验证器应用扫描此二维码，或手动输入密钥。',
  secretKey: '密钥',
  qrAlt: '身份验证器应用的二维码',
  code: '应用中的验证码',
  confirm: '开启',
  recoveryCodes: '恢复码',
  recoveryCodesNote: '请妥善保存这些恢复码。丢失手机时，每个恢复码可登录一次。它们只显示这一次。',
  recoveryCodesLeft: '剩余 {count} 个未使用的恢复码。',
  newRecoveryCodes: '生成新的恢复码',
  turnOff: '关闭',
  codeOrRecovery: '应用中的验证码或恢复码',
  done: '完成',
  cancel: '取消',
  invalidCode: '验证码无效。',
  wrongPassword: '密码错误。',
  failed: '操作失败，请重试。',
  signInCode: '请输入身份验证器应用中的验证码，或一个恢复码。',
  verify: '验证',
  sessions: '已登录的设备',
  sessionsNote: '修改密码会退出其他所有会话。',
  thisSession: '当前会话',
  lastSeen: '最近活动：{time}',
  endSession: '退出',
  unknownBrowser: '未知浏览器',
};

/** The security strings in the user's language, with `{name}` placeholders filled. */
export function useSecurityText(): (key: SecurityKey, values?: Record<string, string | number>) => string {
  const { language } = useI18n();
  const table = language === 'zh-CN' ? zhCN : en;
  return (key, values = {}) => table[key].replace(/\{(\w+)\}/g, (whole, name: string) => String(values[name] ?? whole));
}
