// Hand-drawn line icons (24×24 grid), so the interface does not depend on an emoji font being installed.
const PATHS = {
  inbox: 'M3 13h5l1.5 3h5l1.5-3h5M3 13l3-8h12l3 8v6H3z',
  drafts: 'M6 3h9l4 4v14H6zM14 3v5h5M9 13h7M9 17h5',
  sent: 'M3 11l18-8-8 18-2-8zM11 13L21 3',
  archive: 'M3 4h18v4H3zM5 8v12h14V8M10 12h4',
  junk: 'M12 3l10 18H2zM12 10v5M12 17.5v.5',
  trash: 'M4 7h16M9 7V4h6v3M6 7l1 14h10l1-14M10 11v6M14 11v6',
  folder: 'M3 6h6l2 2h10v12H3z',
  attachment: 'M20 11l-8.5 8.5a5 5 0 0 1-7-7L13 4a3.5 3.5 0 0 1 5 5l-8.5 8.5a2 2 0 0 1-3-3L14 7',
  link: 'M10 14a4 4 0 0 0 6 0l3-3a4 4 0 0 0-6-6l-1 1M14 10a4 4 0 0 0-6 0l-3 3a4 4 0 0 0 6 6l1-1',
  compose: 'M4 20h4L19 9l-4-4L4 16zM13 7l4 4',
  plus: 'M12 5v14M5 12h14',
  settings: 'M12 9a3 3 0 1 0 0 6a3 3 0 0 0 0-6zM12 2v3M12 19v3M2 12h3M19 12h3M4.9 4.9l2.1 2.1M17 17l2.1 2.1M4.9 19.1L7 17M17 7l2.1-2.1',
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name, size = 16 }: { name: IconName; size?: number }) {
  return (
    <svg
      className="icon-svg"
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.8"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d={PATHS[name]} />
    </svg>
  );
}
