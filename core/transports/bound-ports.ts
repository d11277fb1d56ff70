/** The listeners of one process by name; the names are the keys of `<dataDir>/ports.json`. */
export type PortName = 'smtp' | 'submission' | 'smtps' | 'pop3' | 'pop3s' | 'imap' | 'imaps' | 'http';

/** The port each open listener is bound to (a listener set to "off" has no entry). */
export type BoundPorts = Partial<Record<PortName, number>>;
