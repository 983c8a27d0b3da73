import { FakeConfluence } from './fakeConfluence';
import { FakeGitHub } from './fakeGitHub';
import { FakeJira } from './fakeJira';
import { FakeNotion } from './fakeNotion';

/** The credentials the fakes accept; the config from {@link startDestinationFakes} uses them. */
export const FAKE_DESTINATIONS = {
  confluence: {
    email: 'wiki-bot@example.com',
    apiToken: 'confluence-token',
    spaceKey: 'OPS',
  },
  notion: {
    token: 'secret_notion-token',
    parentPageId: '2f1b9a4c-6c3e-4c59-9a5e-1d2c3b4a5f60',
  },
  github: {
    owner: 'acme',
    repo: 'payments',
    token: 'ghp_fake-token',
    webhookSecret: 'github-webhook-secret',
  },
  jira: {
    email: 'jira-bot@example.com',
    apiToken: 'jira-token',
    projectKey: 'OPS',
    webhookSecret: 'jira-webhook-secret',
  },
} as const;

export type DestinationFakes = Awaited<
  ReturnType<typeof startDestinationFakes>
>;

/**
 * Starts fake Confluence, Notion, GitHub and Jira servers on loopback, for
 * tests and the browser e2e. Returns their base URLs, the fakes themselves
 * (pages, issues, fault switches), the `postmortems.exports` and
 * `postmortems.trackers` config that points at them, and helpers to act "in
 * the tracker".
 */
export async function startDestinationFakes() {
  const confluence = new FakeConfluence(FAKE_DESTINATIONS.confluence);
  const notion = new FakeNotion(FAKE_DESTINATIONS.notion);
  const github = new FakeGitHub(FAKE_DESTINATIONS.github);
  const jira = new FakeJira(FAKE_DESTINATIONS.jira);
  const [confluenceUrl, notionUrl, githubUrl, jiraUrl] = await Promise.all([
    confluence.start(),
    notion.start(),
    github.start(),
    jira.start(),
  ]);
  const urls = {
    confluence: confluenceUrl,
    notion: notionUrl,
    github: githubUrl,
    jira: jiraUrl,
  };

  return {
    urls,
    confluence,
    notion,
    github,
    jira,

    /** Config under `postmortems` (merge into `{ postmortems: {...} }`). */
    config(
      options: {
        syncFrequency?: object | string;
        timeoutSeconds?: number;
      } = {},
    ) {
      const timeoutSeconds = options.timeoutSeconds ?? 5;
      return {
        exports: {
          confluence: {
            type: 'confluence',
            baseUrl: urls.confluence,
            ...FAKE_DESTINATIONS.confluence,
            timeoutSeconds,
          },
          notion: {
            type: 'notion',
            baseUrl: urls.notion,
            ...FAKE_DESTINATIONS.notion,
            timeoutSeconds,
          },
          markdown: { type: 'markdown' },
          pdf: { type: 'pdf' },
        },
        trackers: {
          ...(options.syncFrequency
            ? { syncFrequency: options.syncFrequency }
            : {}),
          github: {
            type: 'github',
            baseUrl: urls.github,
            ...FAKE_DESTINATIONS.github,
            timeoutSeconds,
          },
          jira: {
            type: 'jira',
            baseUrl: urls.jira,
            ...FAKE_DESTINATIONS.jira,
            doneStatuses: ['Done'],
            timeoutSeconds,
          },
        },
      };
    },

    /** Closes an issue in a fake tracker: `github` with `acme/payments#3` or `3`, `jira` with `OPS-3`. */
    closeIssue(tracker: 'github' | 'jira', key: string) {
      setIssueState(tracker, key, 'closed');
    },

    /** Reopens an issue in a fake tracker. */
    reopenIssue(tracker: 'github' | 'jira', key: string) {
      setIssueState(tracker, key, 'open');
    },

    /** A Confluence page by id (its title, version and storage body). */
    confluencePage: (id: string) => confluence.pages.get(id),
    /** A Notion page by id (its title and blocks). */
    notionPage: (id: string) => notion.pages.get(id),

    async stop() {
      await Promise.all([
        confluence.stop(),
        notion.stop(),
        github.stop(),
        jira.stop(),
      ]);
    },
  };

  function setIssueState(
    tracker: string,
    key: string,
    state: 'open' | 'closed',
  ) {
    if (tracker === 'github') {
      github.setState(Number(key.split('#').pop()), state);
    } else if (tracker === 'jira') {
      jira.setStatus(key, state === 'closed' ? 'Done' : 'To Do');
    } else {
      throw new Error(`No fake tracker ${tracker} (github or jira)`);
    }
  }
}
