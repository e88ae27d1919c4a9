/**
 * The pages of a paged read, one page ahead: as soon as a page arrives, the read of the next one
 * starts, so it loads while the consumer works through the current one (an export renders,
 * serialises and uploads it). One read is in flight at most, and at most two pages are held:
 * memory stays flat however long the read.
 *
 * A read that fails ahead of the consumer fails the iteration when the consumer reaches that
 * page, never earlier and never as an unhandled rejection; a consumer that stops early leaves at
 * most one read running, whose outcome is ignored.
 */
export async function* readAhead<P>(
  read: (after: string | undefined) => Promise<P>,
  nextOf: (page: P) => string | null | undefined,
): AsyncGenerator<P, void, undefined> {
  const start = (after: string | undefined) => {
    const page = read(after);
    // Handled now (the consumer may take a while to ask for it); awaited, it still rejects.
    page.catch(() => undefined);
    return page;
  };
  let pending: Promise<P> | undefined = start(undefined);
  while (pending) {
    const page: P = await pending;
    const after = nextOf(page);
    pending = after ? start(after) : undefined;
    yield page;
  }
}
