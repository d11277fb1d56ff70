import { describe, expect, it } from 'vitest';
import { auditCsv, csvField } from './audit-csv.js';

describe('audit CSV', () => {
  it('quotes fields with separators and defuses formulas', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvField('-1')).toBe("'-1");
  });

  it('writes a header and one CRLF line per entry', () => {
    const csv = auditCsv([
      {
        id: '7',
        at: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)),
        actor: 'root@example.org',
        actorRole: 'system_admin',
        action: 'user.add',
        target: 'ann@example.org',
        clientAddress: '127.0.0.1',
        detail: '{"after":{"role":"user"}}',
      },
    ]);
    expect(csv).toBe(
      'id,time,actor,role,action,target,client,detail\r\n7,2026-01-02T03:04:05.000Z,root@example.org,system_admin,user.add,ann@example.org,127.0.0.1,"{""after"":{""role"":""user""}}"\r\n',
    );
  });
});
