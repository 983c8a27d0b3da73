import { trackerLabel } from './ActionItemIssue';

describe('trackerLabel', () => {
  it('names the tracker, then its repository or project', () => {
    expect(
      trackerLabel({ id: 'github', type: 'github', title: 'acme/payments' }),
    ).toBe('GitHub: acme/payments');
    expect(trackerLabel({ id: 'jira', type: 'jira', title: 'OPS' })).toBe(
      'Jira: OPS',
    );
  });

  it('does not name the tracker twice', () => {
    expect(trackerLabel({ id: 'jira', type: 'jira', title: 'Jira OPS' })).toBe(
      'Jira: OPS',
    );
    expect(
      trackerLabel({ id: 'jira2', type: 'jira', title: 'Jiraffe board' }),
    ).toBe('Jira: Jiraffe board');
  });
});
