/*
 * Sentences for measuring the blameless check (EvidenceCheck's `blame`
 * findings): each says whether it puts the failure on a person.
 *
 * The events are those of the demo incidents and their like. Names are a mix
 * of people the demo evidence knows (Alice, Bob, Carla, Dmitri, Erin, Frank)
 * and people it does not (Priya, Marcus, Jonas, Sam, ...), so both ways the
 * check finds a person are measured.
 *
 * Neutral sentences include the hard cases: blameless rewrites of the same
 * events, systems as subjects of "failed", "missed", "broke", "we" sentences
 * about process gaps, people doing their part, and quotes of alerts and chat.
 *
 * `tuning` is what the rules were written against; `heldOut` was written at
 * the same time and set aside, so its figures say how the rules do on
 * sentences they were not fitted to.
 */

import { EvidenceBundle } from '@postmortems-oss/backstage-plugin-postmortems-node';
import { EvidenceCheck } from '../src/generation/EvidenceCheck';

/** A sentence and whether it blames a person. */
export interface BlameSample {
  text: string;
  blaming: boolean;
}

const blaming = (text: string): BlameSample => ({ text, blaming: true });
const neutral = (text: string): BlameSample => ({ text, blaming: false });

export const tuning: BlameSample[] = [
  blaming('Bob forgot to update the CA path before the rotation.'),
  blaming(
    'The database engineer mistakenly removed the index on orders.created_at.',
  ),
  blaming('Human error by the on-call engineer caused the second outage.'),
  blaming(
    'The root cause was Alice pushing an untested change to the payment client.',
  ),
  blaming("Priya didn't run the migration against staging first."),
  blaming('The on-call engineer ignored the disk-usage warning for two hours.'),
  blaming('Carla should have known that the flag was shared by both regions.'),
  blaming(
    'This was operator error: the replica was promoted by hand without checking lag.',
  ),
  blaming("It was Marcus's mistake to deploy on a Friday evening."),
  blaming('The config was overwritten by Dmitri during the cleanup.'),
  blaming('A careless edit to the load balancer rules took the site down.'),
  blaming(
    "The outage happened because Erin didn't check the canary dashboard.",
  ),
  blaming('The junior developer accidentally deleted the production bucket.'),
  blaming(
    'Someone on the platform team disabled the alert and never turned it back on.',
  ),
  blaming('Frank was careless with the rollout percentages.'),
  blaming('The new SRE skipped the pre-deploy checklist.'),
  blaming('Jonas fat-fingered the CIDR range in the firewall rule.'),
  blaming('The incident was caused by Bob, who merged without a review.'),
  blaming('Alice should not have approved her own pull request.'),
  blaming('The operator failed to follow the failover runbook.'),
  blaming('Had Sam read the runbook, the cache would never have been flushed.'),
  blaming('The release manager neglected to announce the maintenance window.'),
  blaming('The root cause is that Wei deployed a build nobody had tested.'),
  blaming("Lena's oversight let the expired certificate reach production."),
  blaming(
    'The alert was ignored by the on-call engineer until customers complained.',
  ),
  blaming('Kenji broke the checkout flow with a hot-fix.'),
  blaming('Erin messed up the DNS change and traffic went to the old cluster.'),
  blaming('Dmitri was not paying attention during the migration.'),
  blaming('The support engineer should have escalated the tickets sooner.'),
  blaming(
    'Blame for the outage lies with the deployer who ignored the red build.',
  ),
  blaming('The developer did not test the retry logic before shipping it.'),
  blaming("Carla's fault: she set the TTL to zero."),
  blaming('An inexperienced contractor misconfigured the VPN gateway.'),
  blaming('The staging data was wiped by Marcus by mistake.'),
  blaming('Bob, the on-call engineer, missed both pages.'),
  blaming('Nobody bothered to check the replica lag before the failover.'),
  blaming('Priya was negligent in rotating the API keys.'),
  blaming('The outage is on Alice: she bypassed the deploy freeze.'),
  blaming(
    'Because the reviewer skimmed the diff, the typo reached production.',
  ),
  blaming('It was a rookie mistake by the new hire to run the script on prod.'),
  blaming('Frank just clicked through the warnings without reading them.'),
  blaming('The platform engineer hastily applied the Terraform plan.'),
  blaming('This happened due to Jonas pushing straight to main.'),
  blaming('The SRE on call should have caught the memory leak.'),
  blaming('If Erin had waited for the canary, nothing would have broken.'),

  neutral('The deploy removed the index on orders.created_at.'),
  neutral('The runbook did not cover failing over a replica with lag.'),
  neutral('A config change disabled the rate limiter for the checkout API.'),
  neutral('The health check failed for six minutes before the pod restarted.'),
  neutral(
    'The canary missed the regression because it only sends GET requests.',
  ),
  neutral('The migration broke the checkout flow for logged-out users.'),
  neutral('We did not have an alert on queue depth.'),
  neutral('The alert "Checkout error rate above 5%" fired at 09:11.'),
  neutral('PagerDuty paged the on-call engineer at 09:12.'),
  neutral('The on-call engineer acknowledged the page three minutes later.'),
  neutral('Alice rolled back the deploy at 09:40.'),
  neutral('Bob Okafor found the wrong CA path in the chart values.'),
  neutral('Frank Li was incident commander.'),
  neutral(
    'Nothing in the deploy pipeline checked that the index still existed.',
  ),
  neutral('Carla failed over the database to the replica in eu-west-1.'),
  neutral('The pipeline did not check the certificate path.'),
  neutral('The load balancer failed to drain connections from the old pool.'),
  neutral('We should add a schema check to the migration job.'),
  neutral('The first page went to a phone that was on silent.'),
  neutral('Erin noticed the spike on the latency dashboard.'),
  neutral(
    'The cleanup job deleted the staging data because the bucket prefix matched.',
  ),
  neutral('The database engineer added the missing index at 10:05.'),
  neutral('Dmitri confirmed that the error rate was back to normal.'),
  neutral('The root cause was a race between the cache warmer and the deploy.'),
  neutral('A typo in the Helm values broke the readiness probe.'),
  neutral('The error rate rose to 12% after version 4.2.1 went out.'),
  neutral(
    'The deploy tool did not warn that the flag was shared by two regions.',
  ),
  neutral('Our tests did not exercise the retry path.'),
  neutral(
    'The certificate expired because renewal depended on a cron job that had been removed.',
  ),
  neutral('Human review was the only safeguard for schema changes.'),
  neutral('The on-call engineer had no dashboard for replica lag.'),
  neutral(
    'We missed the first alert because it was routed to an unmonitored channel.',
  ),
  neutral(
    'The firewall rule blocked the CIDR range used by the payment provider.',
  ),
  neutral("Thanks to Erin's quick rollback, impact stayed under ten minutes."),
  neutral('The replica was promoted while it was still 40 seconds behind.'),
  neutral('Autoscaling failed to add nodes because the quota was exhausted.'),
  neutral('The review process let a change with no tests through.'),
  neutral(
    'The release was approved by Frank at 08:55 after the checks passed.',
  ),
  neutral('Retries amplified the load on the database.'),
  neutral(
    'The script ran against production because both environments used the same credentials file.',
  ),
  neutral('Priya opened the incident at 09:14 and paged the database team.'),
  neutral(
    'Marcus\'s message "I think I broke prod" was the first sign of trouble.',
  ),
  neutral(
    "The engineer on call could not see the replica lag from the runbook's dashboard.",
  ),
  neutral('The feature flag was turned on by the scheduled rollout job.'),
  neutral('The deploy was started by Kenji at 08:50 as planned.'),
];

export const heldOut: BlameSample[] = [
  blaming(
    'The senior backend engineer carelessly ran the cleanup script against production.',
  ),
  blaming('Operator error during the failover left the primary read-only.'),
  blaming("The outage was caused by Priya's mistake in the DNS record."),
  blaming('Sam forgot to remove the test flag before the release.'),
  blaming('The cause of the incident was Bob deleting the wrong namespace.'),
  blaming("The on-call developer didn't look at the error budget alert."),
  blaming('The network admin should have double-checked the route table.'),
  blaming("Kenji's carelessness cost us two hours of checkout traffic."),
  blaming('The index was dropped by the database engineer without a backup.'),
  blaming(
    "Because Alice didn't wait for the canary, every region got the bad build.",
  ),
  blaming('The deployer neglected the warning in the pipeline output.'),
  blaming('Lena pushed an unreviewed change on Friday night.'),
  blaming('Wei accidentally pointed production at the staging database.'),
  blaming('A sloppy review let the broken migration through.'),
  blaming('Carla ignored the runbook and restarted the primary by hand.'),
  blaming("It was the on-call engineer's fault that the page went unanswered."),
  blaming('Marcus screwed up the rollback by picking the wrong version.'),
  blaming('The intern ran the destructive migration without asking anyone.'),
  blaming('Human error: someone typed the wrong cluster name.'),
  blaming('Jonas should have tested the change in staging.'),
  blaming('This would not have happened if Dmitri had followed the checklist.'),
  blaming('The reviewer rubber-stamped the pull request without reading it.'),
  blaming('Erin missed the alert because she was in a meeting.'),
  blaming('Frank made a mistake when he edited the firewall rules.'),
  blaming('The real problem was Sam ignoring the failing tests.'),
  blaming(
    'An overworked SRE misread the graph and restarted the wrong service.',
  ),
  blaming(
    'The payments developer failed to update the client after the API change.',
  ),
  blaming('The team lead blindly approved the rollout.'),
  blaming('Priya broke staging and then production.'),
  blaming("The outage was Bob's doing."),

  neutral(
    'The cleanup script ran against production because the environment variable defaulted to prod.',
  ),
  neutral('The failover left the primary read-only for 14 minutes.'),
  neutral('The DNS record pointed at the old load balancer.'),
  neutral(
    'The test flag stayed on after the release because no step removed it.',
  ),
  neutral(
    'The cause of the incident was a namespace deletion that the admission controller allowed.',
  ),
  neutral('The error budget alert went to a channel nobody watches at night.'),
  neutral('The route table had no owner and no review step.'),
  neutral('Checkout traffic was degraded for two hours.'),
  neutral(
    'The index was dropped by the migration, and no backup job covered it.',
  ),
  neutral('The canary stage was optional, so the build reached every region.'),
  neutral('The pipeline printed a warning that did not block the deploy.'),
  neutral(
    'The change was merged on Friday night without a second reviewer being required.',
  ),
  neutral(
    'Production pointed at the staging database after a config template was copied.',
  ),
  neutral('The review checklist had no item for migrations.'),
  neutral(
    'The runbook says to restart the primary by hand, which caused the data gap.',
  ),
  neutral(
    'The page went unanswered because the escalation policy had a single level.',
  ),
  neutral(
    'The rollback picked the wrong version because tags were sorted alphabetically.',
  ),
  neutral(
    'The migration tool let a destructive migration run without a confirmation.',
  ),
  neutral('We found that the cluster name was ambiguous between regions.'),
  neutral('Staging had no test for the new change.'),
  neutral(
    'The checklist was not part of the deploy tool, so it was easy to skip.',
  ),
  neutral('The pull request template did not ask about rollback.'),
  neutral(
    'Erin was in a meeting when the alert fired; the escalation reached Frank four minutes later.',
  ),
  neutral(
    'Frank edited the firewall rules at 10:02 to let the payment provider through.',
  ),
  neutral('Sam restored the failing tests to the required checks.'),
  neutral('The graph used a log scale, which made the spike look small.'),
  neutral('The client library was not updated after the API change.'),
  neutral(
    'The rollout went to 100% in one step because the default was changed.',
  ),
  neutral('Priya and Dmitri rebuilt staging from the last snapshot.'),
  neutral('Alert "Replica lag > 30s" fired and resolved within a minute.'),
];

/** Every sentence: the tuning set and the held-out set. */
export const allBlameSamples: BlameSample[] = [...tuning, ...heldOut];

/** How a check does on a set of samples. */
export interface BlameScore {
  blaming: number;
  caught: number;
  neutral: number;
  falseAlarms: number;
  /** Blaming sentences flagged, of all blaming sentences. */
  recall: number;
  /** Neutral sentences flagged, of all neutral sentences. */
  falseAlarmRate: number;
  missed: string[];
  wronglyFlagged: string[];
}

/** Scores `flags` (true when the check flags a sentence) on `samples`. */
export function scoreBlame(
  samples: BlameSample[],
  flags: (text: string) => boolean,
): BlameScore {
  const missed: string[] = [];
  const wronglyFlagged: string[] = [];
  let blamingCount = 0;
  let caught = 0;
  let falseAlarms = 0;
  for (const sample of samples) {
    const flagged = flags(sample.text);
    if (sample.blaming) {
      blamingCount++;
      if (flagged) caught++;
      else missed.push(sample.text);
    } else if (flagged) {
      falseAlarms++;
      wronglyFlagged.push(sample.text);
    }
  }
  const neutralCount = samples.length - blamingCount;
  return {
    blaming: blamingCount,
    caught,
    neutral: neutralCount,
    falseAlarms,
    recall: blamingCount ? caught / blamingCount : 1,
    falseAlarmRate: neutralCount ? falseAlarms / neutralCount : 0,
    missed,
    wronglyFlagged,
  };
}

/**
 * Whether EvidenceCheck, knowing this evidence's people, finds blame in a
 * sentence written as a section of a draft.
 */
export function blameCheckOf(evidence: EvidenceBundle) {
  const check = new EvidenceCheck(evidence);
  return (text: string) =>
    check
      .check([{ key: 'root_cause', title: 'Root cause', markdown: text }])
      .some(f => f.kind === 'blame');
}
