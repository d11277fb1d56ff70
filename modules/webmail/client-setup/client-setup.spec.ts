import { describe, expect, it } from 'vitest';
import { mailEndpoints } from './mail-endpoints.js';
import { autodiscoverAddress } from './outlook-autodiscover.js';
import { thunderbirdAutoconfig } from './thunderbird-autoconfig.js';
import { xmlText } from './xml-text.js';

const REQUEST = (inner: string) =>
  `<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006"><Request>${inner}</Request></Autodiscover>`;

describe('client setup documents', () => {
  it('offers only the ports that are open, implicit TLS first, never the MX port', () => {
    expect(mailEndpoints('mx.example', { smtp: 25, submission: 587, imap: 143, imaps: 993 })).toEqual({
      hostname: 'mx.example',
      imap: [
        { port: 993, socket: 'SSL' },
        { port: 143, socket: 'STARTTLS' },
      ],
      pop3: [],
      smtp: [{ port: 587, socket: 'STARTTLS' }],
    });
  });

  it('escapes what XML gives meaning to', () => {
    expect(xmlText(`a<b>&"c'`)).toBe('a&lt;b&gt;&amp;&quot;c&apos;');
    expect(thunderbirdAutoconfig('x"&<y>.example', 'Mailhive', mailEndpoints('h', { imaps: 993 }))).toContain(
      '<domain>x&quot;&amp;&lt;y&gt;.example</domain>',
    );
  });

  it("reads the address from Outlook's request, and nothing from anything else", () => {
    expect(autodiscoverAddress(REQUEST('<EMailAddress> ann@example.com </EMailAddress>'))).toBe('ann@example.com');
    expect(autodiscoverAddress('<EMailAddress>ann@example.com</EMailAddress>')).toBeNull();
    expect(autodiscoverAddress(REQUEST('<EMailAddress></EMailAddress>'))).toBeNull();
    expect(autodiscoverAddress(REQUEST(`<EMailAddress>${'a'.repeat(400)}@x</EMailAddress>`))).toBeNull();
  });
});
