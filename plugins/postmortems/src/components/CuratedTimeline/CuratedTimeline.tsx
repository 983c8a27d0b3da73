import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  Box,
  Button,
  Chip,
  IconButton,
  makeStyles,
  Menu,
  MenuItem,
  Tooltip,
  Typography,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import VisibilityIcon from '@material-ui/icons/Visibility';
import VisibilityOffIcon from '@material-ui/icons/VisibilityOff';
import PinIcon from '@material-ui/icons/Bookmark';
import UnpinnedIcon from '@material-ui/icons/BookmarkBorder';
import FlagIcon from '@material-ui/icons/Flag';
import type {
  CuratedTimeline as CuratedTimelineData,
  CuratedTimelineEntry,
  IncidentDurations,
  TimelineCurationPatchBody,
  TimelineKeyMoment,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { postmortemsApiRef } from '../../api';
import { useAnnouncer } from '../../hooks/useAnnouncer';
import { EntityRefOrText } from '../EntityRefOrText';
import { formatDateTime, formatDuration } from '../../domain/time';
import { entryLabelText, entryText } from '../../domain/timelineText';
import { TimelineEntryText } from '../TimelineEntryText';

/** Pages of 100 read for the view; longer timelines say so. */
const MAX_PAGES = 20;
const PAGE = 100;

const MOMENTS: Array<{ kind: TimelineKeyMoment; label: string }> = [
  { kind: 'detected', label: 'Detected' },
  { kind: 'acknowledged', label: 'Acknowledged' },
  { kind: 'mitigated', label: 'Mitigated' },
  { kind: 'resolved', label: 'Resolved' },
];

const NOISE: Record<string, string> = {
  bot: 'bot message',
  join_leave: 'joined or left',
  emoji: 'emoji only',
  reaction: 'short reaction',
};

const useStyles = makeStyles(theme => ({
  durations: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(3),
    margin: 0,
    marginBottom: theme.spacing(2),
    '& dt': { fontSize: theme.typography.caption.fontSize },
    '& dd': { margin: 0, fontWeight: theme.typography.fontWeightMedium },
  },
  list: { listStyle: 'none', margin: 0, padding: 0 },
  entry: {
    display: 'flex',
    alignItems: 'flex-start',
    gap: theme.spacing(1),
    padding: theme.spacing(0.75, 0),
    borderBottom: `1px solid ${theme.palette.divider}`,
  },
  hiddenEntry: { opacity: 0.6 },
  time: {
    flex: '0 0 11rem',
    color: theme.palette.text.secondary,
    whiteSpace: 'nowrap',
  },
  body: { flex: 1, minWidth: 0, overflowWrap: 'anywhere' },
  chips: {
    display: 'inline-flex',
    gap: theme.spacing(0.5),
    marginLeft: theme.spacing(1),
  },
  actions: { display: 'flex', alignItems: 'center', flex: '0 0 auto' },
}));

function durationText(ms: number | null): string {
  return ms === null ? 'not marked' : formatDuration(ms);
}

/** MTTD, MTTA, time to mitigate and MTTR of the incident. */
export const IncidentDurationList = ({
  durations,
}: {
  durations: IncidentDurations;
}) => {
  const classes = useStyles();
  const rows: Array<[string, string, number | null, string | undefined]> = [
    [
      'Time to detect',
      'MTTD',
      durations.mttd_ms,
      durations.moments.detected?.source,
    ],
    [
      'Time to acknowledge',
      'MTTA',
      durations.mtta_ms,
      durations.moments.acknowledged?.source,
    ],
    [
      'Time to mitigate',
      'MTTM',
      durations.mttm_ms,
      durations.moments.mitigated?.source,
    ],
    [
      'Time to resolve',
      'MTTR',
      durations.mttr_ms,
      durations.moments.resolved?.source,
    ],
  ];
  return (
    <dl className={classes.durations} aria-label="Key moment durations">
      {rows.map(([label, short, ms, source]) => (
        <div key={short}>
          <dt>
            {label} ({short})
          </dt>
          <dd>
            {durationText(ms)}
            {source === 'incident' ? ' (from the incident)' : ''}
          </dd>
        </div>
      ))}
    </dl>
  );
};

const KeyMomentMenu = ({
  entry,
  label,
  disabled,
  onChoose,
}: {
  entry: CuratedTimelineEntry;
  label: string;
  disabled: boolean;
  onChoose(moment: TimelineKeyMoment | null): void;
}) => {
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const choose = (moment: TimelineKeyMoment | null) => {
    setAnchor(null);
    onChoose(moment);
  };
  return (
    <>
      <Tooltip title="Mark a key moment">
        <IconButton
          size="small"
          aria-label={`Key moment of ${label}`}
          aria-haspopup="menu"
          aria-expanded={Boolean(anchor)}
          disabled={disabled}
          onClick={event => setAnchor(event.currentTarget)}
        >
          <FlagIcon fontSize="small" />
        </IconButton>
      </Tooltip>
      <Menu
        anchorEl={anchor}
        open={Boolean(anchor)}
        onClose={() => setAnchor(null)}
        keepMounted={false}
      >
        {MOMENTS.map(m => (
          <MenuItem
            key={m.kind}
            selected={entry.curation.key_moment === m.kind}
            onClick={() => choose(m.kind)}
          >
            {m.label}
          </MenuItem>
        ))}
        <MenuItem
          disabled={entry.curation.key_moment === null}
          onClick={() => choose(null)}
        >
          No key moment
        </MenuItem>
      </Menu>
    </>
  );
};

async function loadAll(
  read: (page: number) => Promise<CuratedTimelineData>,
): Promise<CuratedTimelineData & { truncated: boolean }> {
  const first = await read(1);
  const data = [...first.data];
  let page = 1;
  while (data.length < first.total && page < MAX_PAGES) {
    page += 1;
    const next = await read(page);
    if (next.data.length === 0) break;
    data.push(...next.data);
  }
  return { ...first, data, truncated: data.length < first.total };
}

/**
 * The incident's timeline as the post-mortem's authors curate it: entries
 * can be hidden or shown, pinned, and marked as key moments, which give the
 * durations above the list. Chatter is hidden by default, one click away.
 * The drafted Timeline section is built from this list.
 */
export const CuratedTimeline = ({
  incidentId,
  readOnly,
}: {
  incidentId: string;
  /** Without the controls (e.g. for readers who may not edit). */
  readOnly?: boolean;
}) => {
  const classes = useStyles();
  const api = useApi(postmortemsApiRef);
  const announce = useAnnouncer();
  const [showHidden, setShowHidden] = useState(false);
  const [reloads, setReloads] = useState(0);
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<Error>();

  const timeline = useAsync(
    () =>
      loadAll(page =>
        api.getCuratedTimeline(incidentId, {
          page,
          limit: PAGE,
          includeHidden: true,
        }),
      ),
    [api, incidentId, reloads],
  );

  const change = async (
    entry: CuratedTimelineEntry,
    patch: TimelineCurationPatchBody,
    done: string,
  ) => {
    setBusy(entry.id);
    setError(undefined);
    try {
      await api.curateTimelineEntry(incidentId, entry.id, patch);
      announce(done);
      setReloads(n => n + 1);
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(undefined);
    }
  };

  const value = timeline.value;
  if (!value) {
    return (
      <InfoCard title="Curated timeline">
        {timeline.error ? (
          <Alert severity="error">
            The timeline could not be loaded: {timeline.error.message}
          </Alert>
        ) : (
          <Progress />
        )}
      </InfoCard>
    );
  }

  const hiddenCount = value.data.filter(e => e.curation.hidden).length;
  const listed = showHidden
    ? value.data
    : value.data.filter(e => !e.curation.hidden);

  return (
    <InfoCard
      title="Curated timeline"
      subheader="What the Timeline section is drafted from: hidden entries are left out, pinned ones always kept, key moments marked."
    >
      <IncidentDurationList durations={value.durations} />
      {error && (
        <Box mb={2}>
          <Alert severity="error">
            The change was not saved: {error.message}
          </Alert>
        </Box>
      )}
      {hiddenCount > 0 && (
        <Box mb={1}>
          <Button
            size="small"
            variant="outlined"
            aria-pressed={showHidden}
            onClick={() => setShowHidden(s => !s)}
          >
            {showHidden
              ? `Leave out ${hiddenCount} hidden ${
                  hiddenCount === 1 ? 'entry' : 'entries'
                }`
              : `Show ${hiddenCount} hidden ${
                  hiddenCount === 1 ? 'entry' : 'entries'
                }`}
          </Button>
        </Box>
      )}
      {listed.length === 0 ? (
        <Typography variant="body2">No timeline entries.</Typography>
      ) : (
        <ol className={classes.list} aria-label="Timeline entries">
          {listed.map(entry => {
            const text = entryText(entry);
            const plain = entryLabelText(text);
            const label = `${formatDateTime(entry.timestamp)} ${
              plain.length > 60 ? `${plain.slice(0, 60)}…` : plain
            }`;
            const { curation } = entry;
            const moment = MOMENTS.find(m => m.kind === curation.key_moment);
            const disabled = busy !== undefined;
            return (
              <li
                key={entry.id}
                className={`${classes.entry} ${
                  curation.hidden ? classes.hiddenEntry : ''
                }`}
              >
                <Typography variant="body2" className={classes.time}>
                  {formatDateTime(entry.timestamp)}
                </Typography>
                <Typography
                  variant="body2"
                  component="div"
                  className={classes.body}
                >
                  {entry.actor ? (
                    <strong>
                      <EntityRefOrText value={entry.actor} />:{' '}
                    </strong>
                  ) : null}
                  <TimelineEntryText text={text} />
                  <span className={classes.chips}>
                    {moment && (
                      <Chip size="small" color="primary" label={moment.label} />
                    )}
                    {curation.pinned && (
                      <Chip size="small" variant="outlined" label="Pinned" />
                    )}
                    {curation.hidden && (
                      <Chip
                        size="small"
                        variant="outlined"
                        label={
                          curation.noise && !curation.hidden_by_author
                            ? `Hidden: ${NOISE[curation.noise]}`
                            : 'Hidden'
                        }
                      />
                    )}
                  </span>
                </Typography>
                {!readOnly && (
                  <span className={classes.actions}>
                    <Tooltip title={curation.hidden ? 'Show' : 'Hide'}>
                      <IconButton
                        size="small"
                        aria-label={`${
                          curation.hidden ? 'Show' : 'Hide'
                        } ${label}`}
                        disabled={disabled}
                        onClick={() =>
                          change(
                            entry,
                            { hidden: !curation.hidden },
                            curation.hidden ? 'Entry shown' : 'Entry hidden',
                          )
                        }
                      >
                        {curation.hidden ? (
                          <VisibilityIcon fontSize="small" />
                        ) : (
                          <VisibilityOffIcon fontSize="small" />
                        )}
                      </IconButton>
                    </Tooltip>
                    <Tooltip title={curation.pinned ? 'Unpin' : 'Pin'}>
                      <IconButton
                        size="small"
                        aria-label={`Pin ${label}`}
                        aria-pressed={curation.pinned}
                        disabled={disabled}
                        onClick={() =>
                          change(
                            entry,
                            { pinned: !curation.pinned },
                            curation.pinned ? 'Entry unpinned' : 'Entry pinned',
                          )
                        }
                      >
                        {curation.pinned ? (
                          <PinIcon fontSize="small" />
                        ) : (
                          <UnpinnedIcon fontSize="small" />
                        )}
                      </IconButton>
                    </Tooltip>
                    <KeyMomentMenu
                      entry={entry}
                      label={label}
                      disabled={disabled}
                      onChoose={chosen =>
                        change(
                          entry,
                          { key_moment: chosen },
                          chosen ? `Marked as ${chosen}` : 'Key moment cleared',
                        )
                      }
                    />
                  </span>
                )}
              </li>
            );
          })}
        </ol>
      )}
      {value.truncated && (
        <Typography variant="caption">
          The first {value.data.length} of {value.total} entries are shown.
        </Typography>
      )}
    </InfoCard>
  );
};
