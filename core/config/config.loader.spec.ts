import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, printConfig } from './config.loader.js';

describe('configuration', () => {
  it('has working defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      smtpPort: 25,
      submissionPort: 587,
      smtpsPort: 465,
      pop3Port: 110,
      pop3sPort: 995,
      imapPort: 143,
      imapsPort: 993,
      httpPort: 9900,
      databaseUrl: null,
      busUrl: null,
      modules: [],
      plugins: [],
    });
    expect(config.dataDir).toBe(join(process.cwd(), 'data'));
  });

  it.each([
    ['MAILHIVE_SMTP_PORT', '70000', 'MAILHIVE_SMTP_PORT: "70000" is not a port number (0-65535) or "off"'],
    [
      'MAILHIVE_DATABASE_URL',
      'postgres://localhost/x',
      'MAILHIVE_DATABASE_URL: scheme "postgres:" is not supported (use mysql://, mariadb:// or sqlite://)',
    ],
    [
      'MAILHIVE_DATABASE_URL',
      'mysql://root@localhost',
      'MAILHIVE_DATABASE_URL: names no database (example: mysql://root@127.0.0.1:3306/mailhive)',
    ],
    ['MAILHIVE_BUS_URL', 'amqp://x', 'MAILHIVE_BUS_URL: "amqp://x" is not a nats:// or redis:// URL'],
    ['MAILHIVE_MAX_MESSAGE_SIZE', 'big', 'MAILHIVE_MAX_MESSAGE_SIZE: "big" is not a size (examples: 25M, 2G, 1048576)'],
    ['MAILHIVE_LOG_LEVEL', 'loud', 'MAILHIVE_LOG_LEVEL: "loud" is not one of trace, debug, info, warn, error, fatal, silent'],
    ['MAILHIVE_HOSTNAME', ' ', 'MAILHIVE_HOSTNAME: must not be empty'],
  ])('refuses %s=%s naming the key', (key, value, message) => {
    expect(() => loadConfig({ [key]: value })).toThrow(new ConfigError(message));
  });

  it('reads ports, "off", sizes and lists', () => {
    const config = loadConfig({
      MAILHIVE_IMAP_PORT: 'off',
      MAILHIVE_HTTP_PORT: '8080',
      MAILHIVE_MAX_MESSAGE_SIZE: '25M',
      MAILHIVE_PLUGINS: 'anti-spam, auto-reply',
    });
    expect(config).toMatchObject({
      imapPort: 'off',
      httpPort: 8080,
      maxMessageSize: 25 * 1024 * 1024,
      plugins: ['anti-spam', 'auto-reply'],
    });
  });

  it('reads a config file, with the environment taking precedence', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'mailhive-config-')), 'mailhive.json');
    writeFileSync(file, JSON.stringify({ MAILHIVE_HOSTNAME: 'mx.file.example', MAILHIVE_SMTP_PORT: 2525 }));
    expect(loadConfig({ MAILHIVE_CONFIG: file, MAILHIVE_SMTP_PORT: '2626' })).toMatchObject({
      hostname: 'mx.file.example',
      smtpPort: 2626,
    });
    writeFileSync(file, JSON.stringify({ MAILHIVE_SMTP_PROT: 25 }));
    expect(() => loadConfig({ MAILHIVE_CONFIG: file })).toThrow(`MAILHIVE_SMTP_PROT (in ${file}): unknown configuration key`);
    writeFileSync(file, '{ not json');
    expect(() => loadConfig({ MAILHIVE_CONFIG: file })).toThrow(/^MAILHIVE_CONFIG: cannot read /);
  });

  it('prints the effective configuration with secrets masked', () => {
    const printed = printConfig(
      loadConfig({
        MAILHIVE_DATABASE_URL: 'mysql://mail:s3cret@db.example:3306/mailhive',
        MAILHIVE_RELAY_HOST: 'smtp://relay:pw@relay.example:587',
      }),
    );
    expect(printed).toContain('MAILHIVE_DATABASE_URL=mysql://mail:****@db.example:3306/mailhive');
    expect(printed).toContain('MAILHIVE_RELAY_HOST=smtp://relay:****@relay.example:587');
    expect(printed).not.toContain('s3cret');
    expect(printed).toContain('MAILHIVE_SMTP_PORT=25');
  });
});
