import { toString as qrSvg } from 'qrcode';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { ApiError } from '../../api/graphql-client.js';
import { securityApi, type TwoFactorStatus } from '../../api/security-api.js';
import { useSecurityText, type SecurityKey } from './security-messages.js';

type Step =
  | { kind: 'status' }
  | { kind: 'password' }
  | { kind: 'scan'; secret: string; qr: string }
  | { kind: 'codes'; codes: string[] }
  | { kind: 'disable' }
  | { kind: 'regenerate' };

function errorKey(error: unknown): SecurityKey {
  if (!(error instanceof ApiError)) return 'failed';
  if (error.code === 'INVALID_SECOND_FACTOR') return 'invalidCode';
  if (error.code === 'INVALID_CREDENTIALS') return 'wrongPassword';
  return 'failed';
}

/** The QR code is drawn here in the browser: the secret never goes to another service. */
async function qrImage(uri: string): Promise<string> {
  const svg = await qrSvg(uri, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

function field(form: HTMLFormElement, name: string): string {
  return String(new FormData(form).get(name) ?? '');
}

/** Two-factor sign-in: set up (password, QR code, first code, recovery codes), new recovery codes, turn off. */
export function TwoFactorSection({ onStatus }: { onStatus?: (status: TwoFactorStatus) => void }) {
  const text = useSecurityText();
  const [status, setStatus] = useState<TwoFactorStatus | null>(null);
  const [step, setStep] = useState<Step>({ kind: 'status' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<SecurityKey | null>(null);

  const reload = useCallback(async () => {
    const next = await securityApi.status();
    setStatus(next);
    onStatus?.(next);
  }, [onStatus]);

  useEffect(() => {
    reload().catch(() => setError('failed'));
  }, [reload]);

  const run = (work: (form: HTMLFormElement) => Promise<void>) => async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    setBusy(true);
    setError(null);
    try {
      await work(form);
    } catch (caught) {
      setError(errorKey(caught));
    } finally {
      setBusy(false);
    }
  };

  const begin = run(async (form) => {
    const { secret, uri } = await securityApi.begin(field(form, 'password'));
    setStep({ kind: 'scan', secret, qr: await qrImage(uri) });
  });
  const confirm = run(async (form) => {
    setStep({ kind: 'codes', codes: await securityApi.confirm(field(form, 'code').trim()) });
  });
  const regenerate = run(async (form) => {
    setStep({ kind: 'codes', codes: await securityApi.regenerate(field(form, 'code').trim()) });
  });
  const disable = run(async (form) => {
    await securityApi.disable(field(form, 'password'), field(form, 'code').trim());
    await reload();
    setStep({ kind: 'status' });
  });
  const cancel = () => {
    setError(null);
    setStep({ kind: 'status' });
  };

  const cancelButton = (
    <button type="button" className="link-button" onClick={cancel} disabled={busy}>
      {text('cancel')}
    </button>
  );

  return (
    <section className="security-section" aria-labelledby="two-factor-title">
      <h2 id="two-factor-title">{text('twoFactor')}</h2>
      {error && (
        <p className="error" role="alert">
          {text(error)}
        </p>
      )}
      {status && step.kind === 'status' && (
        <>
          {status.required && !status.enabled && <p className="notice">{text('twoFactorRequired')}</p>}
          <p data-testid="two-factor-state">{text(status.enabled ? 'twoFactorOn' : 'twoFactorOff')}</p>
          <p className="notice">{text('mailClientsNote')}</p>
          {status.enabled ? (
            <>
              <p>{text('recoveryCodesLeft', { count: status.recoveryCodesLeft })}</p>
              <div className="security-actions">
                <button type="button" onClick={() => setStep({ kind: 'regenerate' })}>
                  {text('newRecoveryCodes')}
                </button>
                {!status.required && (
                  <button type="button" onClick={() => setStep({ kind: 'disable' })}>
                    {text('turnOff')}
                  </button>
                )}
              </div>
            </>
          ) : (
            <button type="button" className="primary" onClick={() => setStep({ kind: 'password' })}>
              {text('setUp')}
            </button>
          )}
        </>
      )}
      {step.kind === 'password' && (
        <form className="security-form" onSubmit={begin}>
          <label htmlFor="two-factor-password">{text('currentPassword')}</label>
          <input id="two-factor-password" name="password" type="password" autoComplete="current-password" required autoFocus />
          <div className="security-actions">
            <button type="submit" className="primary" disabled={busy}>
              {text('continue')}
            </button>
            {cancelButton}
          </div>
        </form>
      )}
      {step.kind === 'scan' && (
        <form className="security-form" onSubmit={confirm}>
          <p>{text('scanQr')}</p>
          <img className="qr-code" src={step.qr} alt={text('qrAlt')} width={200} height={200} />
          <p>
            {text('secretKey')}: <code data-testid="two-factor-secret">{step.secret}</code>
          </p>
          <label htmlFor="two-factor-code">{text('code')}</label>
          <input
            id="two-factor-code"
            name="code"
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="[0-9 ]{6,7}"
            maxLength={7}
            required
            autoFocus
          />
          <div className="security-actions">
            <button type="submit" className="primary" disabled={busy}>
              {text('confirm')}
            </button>
            {cancelButton}
          </div>
        </form>
      )}
      {step.kind === 'codes' && (
        <div className="security-form">
          <h3>{text('recoveryCodes')}</h3>
          <p>{text('recoveryCodesNote')}</p>
          <ol className="recovery-codes" data-testid="recovery-codes">
            {step.codes.map((code) => (
              <li key={code}>
                <code>{code}</code>
              </li>
            ))}
          </ol>
          <button
            type="button"
            className="primary"
            onClick={() => {
              setStep({ kind: 'status' });
              reload().catch(() => setError('failed'));
            }}
          >
            {text('done')}
          </button>
        </div>
      )}
      {step.kind === 'regenerate' && (
        <form className="security-form" onSubmit={regenerate}>
          <label htmlFor="two-factor-regenerate-code">{text('codeOrRecovery')}</label>
          <input id="two-factor-regenerate-code" name="code" autoComplete="one-time-code" maxLength={32} required autoFocus />
          <div className="security-actions">
            <button type="submit" className="primary" disabled={busy}>
              {text('newRecoveryCodes')}
            </button>
            {cancelButton}
          </div>
        </form>
      )}
      {step.kind === 'disable' && (
        <form className="security-form" onSubmit={disable}>
          <label htmlFor="two-factor-disable-password">{text('currentPassword')}</label>
          <input id="two-factor-disable-password" name="password" type="password" autoComplete="current-password" required autoFocus />
          <label htmlFor="two-factor-disable-code">{text('codeOrRecovery')}</label>
          <input id="two-factor-disable-code" name="code" autoComplete="one-time-code" maxLength={32} required />
          <div className="security-actions">
            <button type="submit" className="primary" disabled={busy}>
              {text('turnOff')}
            </button>
            {cancelButton}
          </div>
        </form>
      )}
    </section>
  );
}
