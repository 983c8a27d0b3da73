import { reconcile } from './reconcile';

describe('reconcile', () => {
  it('follows a change made in the tracker', () => {
    expect(reconcile('open', 'open', 'closed')).toEqual({ status: 'done' });
    expect(reconcile('in_progress', 'open', 'closed')).toEqual({
      status: 'done',
    });
    expect(reconcile('done', 'closed', 'open')).toEqual({ status: 'open' });
    expect(reconcile('in_progress', 'closed', 'open')).toEqual({});
  });

  it('pushes a change made here that the tracker has not seen, instead of undoing it', () => {
    // Marked done here, the close failed: the issue is still open as last seen.
    expect(reconcile('done', 'open', 'open')).toEqual({ push: 'closed' });
    // Reopened here, the reopen failed.
    expect(reconcile('open', 'closed', 'closed')).toEqual({ push: 'open' });
  });

  it('does nothing when both sides agree', () => {
    expect(reconcile('open', 'open', 'open')).toEqual({});
    expect(reconcile('done', 'closed', 'closed')).toEqual({});
    expect(reconcile('done', 'open', 'closed')).toEqual({});
  });

  it('lets the tracker win when both sides changed', () => {
    expect(reconcile('done', 'closed', 'open')).toEqual({ status: 'open' });
  });
});
