// Something on its way from main: a line saying what, marked busy (aria-busy) so assistive
// technology knows more is coming. `page` for the whole window (the centred `.loading` line).
export function Loading({ children = 'Loading…', page = false }: { readonly children?: string; readonly page?: boolean }) {
  return (
    <p className={page ? 'loading' : undefined} aria-busy="true">
      {children}
    </p>
  );
}
