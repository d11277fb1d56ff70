import { describe, expect, it } from 'vitest';
import { loadConfig } from '../core/config/config.loader.js';
import { startupFacts, startupSummary, startupWarnings } from './startup-summary.js';

const config = (env: Record<string, string>) => loadConfig({ MAILHIVE_DATA_DIR: '/var/lib/mailhive', ...env });

describe('startup summary', () => {
  it('names the version, host, data, database, each port, the web addresses, modules and plugins', () => {
    const facts = startupFacts(
      config({ MAILHIVE_HOSTNAME: 'mail.example.org', MAILHIVE_DATABASE_URL: 'mysql://mail:s3cret@db.example.org:3306/mailhive' }),
      { smtp: 25, submission: 587, imap: 143, http: 9900 },
      ['webmail', 'mobile-api'],
      ['anti-spam'],
      '1.2.3',
    );
    expect(startupSummary(facts)).toBe(
      [
        'Mailhive 1.2.3 ready as mail.example.org',
        '  data:      /var/lib/mailhive',
        '  database:  mysql://mail:****@db.example.org:3306/mailhive',
        '  listening: SMTP 25, submission (STARTTLS) 587, IMAP 143, HTTP 9900',
        '  webmail:   http://mail.example.org:9900/',
        '  graphql:   http://mail.example.org:9900/graphql',
        '  modules:   webmail, mobile-api',
        '  plugins:   anti-spam',
        '',
      ].join('\n'),
    );
  });

  it('says SQLite in the data directory by default, and no web addresses without HTTP', () => {
    const facts = startupFacts(config({}), { imap: 143 }, [], [], '1.2.3');
    expect(facts.database).toBe('SQLite in /var/lib/mailhive');
    expect(facts.urls).toEqual({});
    expect(startupSummary(facts)).toContain('  modules:   none\n');
  });
});

describe('startup warnings', () => {
  it('warns of a host name other servers cannot reach, and of a self-signed certificate on a public address', () => {
    const warnings = startupWarnings(config({}));
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/^MAILHIVE_HOSTNAME is "localhost"/);
    expect(warnings[1]).toMatch(/^no certificate configured .* on 0\.0\.0\.0 uses a self-signed certificate/);
  });

  it('says nothing for a real name, or for a self-signed certificate on loopback only', () => {
    expect(startupWarnings(config({ MAILHIVE_HOSTNAME: 'mail.example.org', MAILHIVE_BIND: '127.0.0.1' }))).toEqual([]);
    expect(
      startupWarnings(config({ MAILHIVE_HOSTNAME: 'mail.example.org', MAILHIVE_TLS_CERT: '/c.pem', MAILHIVE_TLS_KEY: '/k.pem' })),
    ).toEqual([]);
  });
});
