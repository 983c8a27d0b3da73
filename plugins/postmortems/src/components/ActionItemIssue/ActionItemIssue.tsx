import { Link } from '@backstage/core-components';
import {
  Button,
  Chip,
  CircularProgress,
  makeStyles,
  Menu,
  MenuItem,
} from '@material-ui/core';
import BugReportIcon from '@material-ui/icons/BugReport';
import GitHubIcon from '@material-ui/icons/GitHub';
import type {
  ActionItem,
  IssueTracker,
  TrackerType,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { ReactNode, useState } from 'react';

const useStyles = makeStyles(theme => ({
  chip: { maxWidth: 220 },
  button: { whiteSpace: 'nowrap', marginLeft: theme.spacing(-1) },
}));

const TRACKER_NAMES: Record<TrackerType, string> = {
  github: 'GitHub',
  jira: 'Jira',
};

/** "GitHub: acme/payments", "Jira: OPS". */
export function trackerLabel(tracker: IssueTracker): string {
  const name = TRACKER_NAMES[tracker.type] ?? tracker.type;
  // A title that already names its tracker ("Jira OPS") is not named twice.
  const title = tracker.title.startsWith(`${name} `)
    ? tracker.title.slice(name.length + 1)
    : tracker.title;
  return `${name}: ${title}`;
}

/** The item's issue as a chip that opens it in its tracker. */
export const IssueChip = ({
  item,
  tracker,
}: {
  item: ActionItem;
  /** The configured tracker the issue lives in, when it is still configured. */
  tracker?: IssueTracker;
}) => {
  const classes = useStyles();
  const key = item.external_key ?? '';
  const icon =
    tracker?.type === 'github' || /#\d+$/.test(key) ? (
      <GitHubIcon fontSize="small" />
    ) : (
      <BugReportIcon fontSize="small" />
    );
  const title = tracker ? `Issue in ${trackerLabel(tracker)}` : undefined;
  if (!item.external_url) {
    return (
      <Chip
        size="small"
        variant="outlined"
        icon={icon}
        label={key}
        title={title}
        className={classes.chip}
      />
    );
  }
  // An anchor chip: a clickable chip calls itself a button, but this one
  // navigates, so assistive technology is told it is a link.
  return (
    <Chip
      component="a"
      href={item.external_url}
      target="_blank"
      rel="noopener noreferrer"
      role="link"
      clickable
      size="small"
      variant="outlined"
      icon={icon}
      label={key}
      title={title}
      className={classes.chip}
    />
  );
};

/**
 * Where the item's issue is, wherever the item is listed: its tracker's chip,
 * or a plain "Ticket" link when only a URL was pasted.
 */
export const IssueReference = ({
  item,
  trackers,
  none = null,
}: {
  item: ActionItem;
  trackers: IssueTracker[];
  /** What stands for no issue. */
  none?: ReactNode;
}) => {
  if (item.external_key) {
    return (
      <IssueChip
        item={item}
        tracker={trackers.find(t => t.id === item.tracker)}
      />
    );
  }
  if (item.external_url) {
    return <Link to={item.external_url}>Ticket</Link>;
  }
  return <>{none}</>;
};

/** A small menu creating the item's issue in one of the configured trackers. */
export const CreateIssueButton = ({
  item,
  trackers,
  disabled,
  creating,
  onCreate,
}: {
  item: ActionItem;
  trackers: IssueTracker[];
  disabled?: boolean;
  /** An issue is being created for this item right now. */
  creating?: boolean;
  onCreate(tracker: IssueTracker): void;
}) => {
  const classes = useStyles();
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const menuId = `create-issue-${item.id}`;
  return (
    <>
      <Button
        size="small"
        className={classes.button}
        aria-haspopup="true"
        aria-controls={anchor ? menuId : undefined}
        aria-label={`Create issue for ${item.description}`}
        disabled={disabled || creating}
        startIcon={
          creating ? <CircularProgress size={14} aria-hidden="true" /> : null
        }
        onClick={e => setAnchor(e.currentTarget)}
      >
        {creating ? 'Creating issue…' : 'Create issue'}
      </Button>
      <Menu
        id={menuId}
        anchorEl={anchor}
        // Below the button rather than over it, so the row stays readable.
        getContentAnchorEl={null}
        anchorOrigin={{ vertical: 'bottom', horizontal: 'left' }}
        transformOrigin={{ vertical: 'top', horizontal: 'left' }}
        open={Boolean(anchor)}
        onClose={() => setAnchor(null)}
      >
        {trackers.map(tracker => (
          <MenuItem
            key={tracker.id}
            onClick={() => {
              setAnchor(null);
              onCreate(tracker);
            }}
          >
            {trackerLabel(tracker)}
          </MenuItem>
        ))}
      </Menu>
    </>
  );
};
