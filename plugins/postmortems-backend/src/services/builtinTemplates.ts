import { TemplateSection } from '@postmortems-oss/backstage-plugin-postmortems-common';
import { NewTemplate } from '../database/TemplateStore';

function section(
  title: string,
  required: boolean,
  guidingQuestions: string[],
): TemplateSection {
  const key = title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
  return { key, title, required, guiding_questions: guidingQuestions };
}

const summary = section('Summary', true, [
  'What happened, in two or three sentences a newcomer understands?',
  'Who and what was affected, for how long, and how badly?',
]);
const timeline = section('Timeline', true, [
  'When did it start, when was it detected, acknowledged, mitigated and resolved (UTC)?',
]);
const rootCause = section('Root cause', true, [
  'What change or condition made this incident possible?',
  'Why did our safeguards not stop it?',
]);
const contributingFactors = section('Contributing factors', false, [
  'What made the impact larger or the recovery slower?',
  'Which processes, tools or missing signals played a part?',
]);
const actionItems = section('Action items', true, [
  'What will we change so that this does not happen again, or is caught sooner?',
  'Who owns each item and by when?',
]);
const detection = section('Detection', true, [
  'How did we find out: an alert, a customer, a person noticing?',
  'How long between the start and the first alert or acknowledgement?',
]);
const resolution = section('Resolution', true, [
  'What stopped the impact, and what restored normal service?',
  'How long did it take from detection to resolution?',
]);

/**
 * The templates every installation starts with. They can be copied and
 * activated but not changed or deleted, so there is always a known-good one.
 */
export const builtinTemplates: NewTemplate[] = [
  {
    name: 'Standard',
    description:
      'All seven sections for most incidents: summary, timeline, root cause, contributing factors, action items, detection and resolution.',
    sections: [
      summary,
      timeline,
      rootCause,
      contributingFactors,
      actionItems,
      detection,
      resolution,
    ],
    actionItemCategories: ['prevention', 'detection', 'mitigation', 'process'],
  },
  {
    name: 'Lightweight',
    description:
      'A short write-up for low-severity incidents: what happened, why, and what we will do.',
    sections: [summary, timeline, rootCause, actionItems],
    actionItemCategories: ['prevention', 'follow-up'],
  },
  {
    name: 'Infrastructure',
    description:
      'For outages of infrastructure (hosts, networks, databases, cloud providers): capacity and dependencies in focus.',
    sections: [
      summary,
      timeline,
      section('Impact', true, [
        'Which services, regions and customers were affected, and how many requests or users?',
      ]),
      rootCause,
      section('Infrastructure and dependencies', false, [
        'Which components, limits or providers were involved?',
        'Was capacity, configuration or a dependency outage at fault?',
      ]),
      detection,
      resolution,
      actionItems,
    ],
    actionItemCategories: [
      'capacity',
      'monitoring',
      'automation',
      'redundancy',
    ],
  },
  {
    name: 'Security',
    description:
      'For security incidents: exposure, containment and disclosure obligations.',
    sections: [
      summary,
      timeline,
      section('Exposure', true, [
        'What data or systems were exposed, to whom, and for how long?',
      ]),
      rootCause,
      section('Containment', true, [
        'How was the exposure stopped, and were credentials rotated?',
      ]),
      section('Disclosure', false, [
        'Who must be told (customers, regulators), by when, and has it been done?',
      ]),
      detection,
      actionItems,
    ],
    actionItemCategories: [
      'hardening',
      'detection',
      'access-control',
      'disclosure',
    ],
  },
];

/** The template that is active until an admin picks another. */
export const DEFAULT_ACTIVE_TEMPLATE = 'Standard';
