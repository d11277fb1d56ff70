/** An error that stops start-up; its message is shown to the operator as one line, without a stack. */
export class StartupError extends Error {}
