/** A page's outcome line: what went wrong (an alert) or what was done (a status); nothing when both are empty. */
export function Feedback({ error, notice }: { error?: string; notice?: string }) {
  return (
    <>
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </>
  );
}
