/** Longest device name accepted at mobileLogin, in characters (code points). */
export const DEVICE_NAME_MAX_CHARS = 100;

/**
 * Control characters and bidirectional formatting characters (U+202E RIGHT-TO-LEFT OVERRIDE and the like, which
 * make "gpj.exe" show as "exe.jpg" in a session list): each becomes a space. Joiners used by emoji stay.
 */
const UNSAFE = /[\p{Cc}\p{Bidi_Control}]/gu;
const SPACES = /\s+/g;

export type DeviceNameCheck = { ok: true; name: string } | { ok: false; reason: string };

/** The device name to store for a session, or why it is refused. */
export function checkDeviceName(raw: string): DeviceNameCheck {
  // A string of more than twice the limit in UTF-16 units has more code points than the limit; it is not scanned.
  if (raw.length > DEVICE_NAME_MAX_CHARS * 2 || [...raw].length > DEVICE_NAME_MAX_CHARS) {
    return { ok: false, reason: `deviceName must be at most ${DEVICE_NAME_MAX_CHARS} characters` };
  }
  return { ok: true, name: raw.replace(UNSAFE, ' ').replace(SPACES, ' ').trim() };
}
