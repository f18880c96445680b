export function ErrorPanel(props: { readonly title: string; readonly message: string; readonly onRetry?: () => void }) {
  return (
    <main className="centered">
      <section className="card" role="alert">
        <h1>{props.title}</h1>
        <p>{props.message}</p>
        {props.onRetry && (
          <button type="button" onClick={props.onRetry}>
            Try again
          </button>
        )}
      </section>
    </main>
  );
}
