/** WebAdmin's texts in English and Simplified Chinese; Chinese browsers get zh-CN unless the admin picks otherwise. */

export type Language = 'en' | 'zh-CN';

const en = {
  title: 'Mailhive WebAdmin',
  signIn: 'Sign in',
  email: 'Email',
  password: 'Password',
  signOut: 'Sign out',
  signOutEverywhere: 'Sign out everywhere',
  setupTitle: 'Set up Mailhive',
  setupIntro: 'No administrator exists yet. Name this server, its first domain and the first system administrator.',
  setupToken: 'Setup token',
  setupTokenHint: 'Printed in the server log at start ("WebAdmin setup: ...").',
  hostname: 'Host name of this server',
  firstDomain: 'First domain',
  adminName: 'Administrator (name before @)',
  confirmPassword: 'Repeat password',
  passwordsDiffer: 'The passwords differ.',
  setupSubmit: 'Set up',
  setupDone: 'Mailhive is set up',
  setupPublish: 'Publish these DNS records at your DNS provider, then check them.',
  continueToAdmin: 'Continue to WebAdmin',
  dnsRecordsOf: (domain: string) => `DNS records of ${domain}`,
  checkDns: 'Check DNS',
  dnsType: 'Type',
  dnsName: 'Name',
  dnsValue: 'Value',
  dnsStatus: 'Status',
  dnsPass: 'found',
  dnsFail: 'missing',
  dnsUnchecked: 'not checked',
  dns: 'DNS',
  badLogin: 'Wrong email or password.',
  notAdmin: 'This account may not use WebAdmin.',
  locked: 'Too many failed sign-ins; try again later.',
  forbidden: 'Not allowed.',
  users: 'Users',
  domains: 'Domains',
  audit: 'Audit log',
  search: 'Search by address or name',
  address: 'Address',
  name: 'Name',
  role: 'Role',
  quota: 'Quota',
  used: 'Used',
  status: 'Status',
  created: 'Created',
  actions: 'Actions',
  enabled: 'Enabled',
  disabled: 'Disabled',
  unlimited: 'unlimited',
  edit: 'Edit',
  delete: 'Delete',
  resetPassword: 'Reset password',
  newPassword: 'New password',
  createUser: 'New user',
  create: 'Create',
  save: 'Save',
  cancel: 'Cancel',
  previous: 'Previous',
  next: 'Next',
  page: (from: number, to: number, total: number) => `${from}–${to} of ${total}`,
  confirmDeleteUser: (address: string) => `Delete ${address} with all its mail? This cannot be undone.`,
  confirmRemoveDomain: (name: string) => `Remove the domain ${name}? Only a domain without users and aliases can be removed.`,
  quotaMb: 'Quota (MB, 0 = unlimited)',
  disable: 'Disabled',
  roleUser: 'User',
  roleDomainAdmin: 'Domain admin',
  roleSystemAdmin: 'System admin',
  domain: 'Domain',
  addDomain: 'Add domain',
  remove: 'Remove',
  userCount: 'Users',
  catchAll: 'Catch-all',
  none: 'none',
  time: 'Time',
  actor: 'Who',
  action: 'Action',
  target: 'Target',
  client: 'Client',
  detail: 'Change',
  filter: 'Filter',
  downloadCsv: 'Download CSV',
  older: 'Older',
  newest: 'Newest',
  noEntries: 'Nothing found.',
  saved: 'Saved.',
  language: 'Language',
  signedInAs: 'Signed in as',
  loading: 'Loading…',
  sortBy: (column: string) => `Sort by ${column}`,
};

export type Messages = typeof en;

const zh: Messages = {
  title: 'Mailhive 管理后台',
  signIn: '登录',
  email: '邮箱',
  password: '密码',
  signOut: '退出',
  signOutEverywhere: '退出所有设备',
  setupTitle: '初始化 Mailhive',
  setupIntro: '尚无管理员。请填写服务器主机名、第一个域名和第一个系统管理员。',
  setupToken: '初始化令牌',
  setupTokenHint: '服务器启动时打印在日志中（“WebAdmin setup: ...”）。',
  hostname: '服务器主机名',
  firstDomain: '第一个域名',
  adminName: '管理员（@ 之前的部分）',
  confirmPassword: '再次输入密码',
  passwordsDiffer: '两次输入的密码不一致。',
  setupSubmit: '完成初始化',
  setupDone: 'Mailhive 已初始化',
  setupPublish: '请在 DNS 服务商处发布以下记录，然后检查。',
  continueToAdmin: '进入管理后台',
  dnsRecordsOf: (domain) => `${domain} 的 DNS 记录`,
  checkDns: '检查 DNS',
  dnsType: '类型',
  dnsName: '名称',
  dnsValue: '值',
  dnsStatus: '状态',
  dnsPass: '已生效',
  dnsFail: '未找到',
  dnsUnchecked: '未检查',
  dns: 'DNS',
  badLogin: '邮箱或密码错误。',
  notAdmin: '该账号无权使用管理后台。',
  locked: '登录失败次数过多，请稍后再试。',
  forbidden: '无权执行此操作。',
  users: '用户',
  domains: '域名',
  audit: '审计日志',
  search: '按地址或姓名搜索',
  address: '地址',
  name: '姓名',
  role: '角色',
  quota: '配额',
  used: '已用',
  status: '状态',
  created: '创建时间',
  actions: '操作',
  enabled: '已启用',
  disabled: '已停用',
  unlimited: '不限',
  edit: '编辑',
  delete: '删除',
  resetPassword: '重置密码',
  newPassword: '新密码',
  createUser: '新建用户',
  create: '创建',
  save: '保存',
  cancel: '取消',
  previous: '上一页',
  next: '下一页',
  page: (from, to, total) => `第 ${from}–${to} 条，共 ${total} 条`,
  confirmDeleteUser: (address) => `删除 ${address} 及其全部邮件？此操作无法撤销。`,
  confirmRemoveDomain: (name) => `删除域名 ${name}？只有没有用户和别名的域名才能删除。`,
  quotaMb: '配额（MB，0 = 不限）',
  disable: '停用',
  roleUser: '普通用户',
  roleDomainAdmin: '域管理员',
  roleSystemAdmin: '系统管理员',
  domain: '域名',
  addDomain: '添加域名',
  remove: '删除',
  userCount: '用户数',
  catchAll: '收件兜底地址',
  none: '无',
  time: '时间',
  actor: '操作人',
  action: '操作',
  target: '对象',
  client: '客户端',
  detail: '变更',
  filter: '筛选',
  downloadCsv: '下载 CSV',
  older: '更早',
  newest: '最新',
  noEntries: '没有找到记录。',
  saved: '已保存。',
  language: '语言',
  signedInAs: '当前登录',
  loading: '加载中…',
  sortBy: (column) => `按${column}排序`,
};

const LANGUAGE_KEY = 'mailhive-admin-language';

export function initialLanguage(): Language {
  const chosen = localStorage.getItem(LANGUAGE_KEY);
  if (chosen === 'en' || chosen === 'zh-CN') return chosen;
  return navigator.languages.some((language) => language.toLowerCase().startsWith('zh')) ? 'zh-CN' : 'en';
}

export function rememberLanguage(language: Language): void {
  localStorage.setItem(LANGUAGE_KEY, language);
}

export function messagesOf(language: Language): Messages {
  return language === 'zh-CN' ? zh : en;
}

export function roleLabel(t: Messages, role: string): string {
  return role === 'system_admin' ? t.roleSystemAdmin : role === 'domain_admin' ? t.roleDomainAdmin : t.roleUser;
}

export function formatBytes(t: Messages, bytes: number, zeroIsUnlimited = false): string {
  if (bytes === 0 && zeroIsUnlimited) return t.unlimited;
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${Math.round(value * 10) / 10} ${units[unit]}`;
}
