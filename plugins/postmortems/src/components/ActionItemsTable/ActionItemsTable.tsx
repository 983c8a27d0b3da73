import { InfoCard, Link } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  Box,
  Button,
  Chip,
  CircularProgress,
  IconButton,
  makeStyles,
  MenuItem,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Theme,
  Typography,
} from '@material-ui/core';
import AddIcon from '@material-ui/icons/Add';
import CheckIcon from '@material-ui/icons/Check';
import ClearIcon from '@material-ui/icons/Clear';
import DeleteIcon from '@material-ui/icons/Delete';
import EditIcon from '@material-ui/icons/Edit';
import SyncIcon from '@material-ui/icons/Sync';
import Alert from '@material-ui/lab/Alert';
import Autocomplete from '@material-ui/lab/Autocomplete';
import {
  ACTION_ITEM_STATUSES,
  ActionItem,
  ActionItemStatus,
  IssueTracker,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { useEffect, useRef, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import {
  ActionItemInput,
  postmortemsApiRef,
  TrackerSyncResult,
} from '../../api';
import {
  ACTION_ITEM_STATUS_LABELS,
  isOverdue,
  isProposal,
} from '../../domain/actionItems';
import { formatDate, todayIso } from '../../domain/time';
import { CreateIssueButton, IssueChip, trackerLabel } from '../ActionItemIssue';
import { EntityRefOrText } from '../EntityRefOrText';
import { OwnerPicker } from '../OwnerPicker';

const DEFAULT_CATEGORIES = ['prevention', 'detection', 'mitigation', 'process'];

const useStyles = makeStyles((theme: Theme) => ({
  overdue: {
    backgroundColor:
      theme.palette.type === 'dark'
        ? 'rgba(244, 67, 54, 0.16)'
        : 'rgba(244, 67, 54, 0.08)',
    '& td:first-child': {
      boxShadow: `inset 4px 0 0 ${theme.palette.error.main}`,
    },
  },
  proposal: {
    backgroundColor: theme.palette.action.hover,
  },
  overdueChip: {
    backgroundColor: theme.palette.error.main,
    color: theme.palette.error.contrastText,
    marginLeft: theme.spacing(1),
  },
  chip: { marginLeft: theme.spacing(1) },
  actions: { whiteSpace: 'nowrap' },
  status: { minWidth: 130 },
  form: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'flex-start',
    gap: theme.spacing(2),
    padding: theme.spacing(1, 0),
  },
  description: { flex: '1 1 320px' },
  cardActions: { display: 'flex', gap: theme.spacing(1), marginTop: 8 },
  // Short headings ("Due") must not break when the issue column takes room.
  head: { '& th': { whiteSpace: 'nowrap' } },
}));

const plural = (count: number, one: string, many: string) =>
  `${count} ${count === 1 ? one : many}`;

/** "Synced with the trackers: 2 issues checked, 1 item done." */
function describeSync(result: TrackerSyncResult): string {
  const parts = [plural(result.checked, 'issue checked', 'issues checked')];
  if (result.done) parts.push(plural(result.done, 'item done', 'items done'));
  if (result.reopened) {
    parts.push(plural(result.reopened, 'item reopened', 'items reopened'));
  }
  if (result.pushed) {
    parts.push(plural(result.pushed, 'change sent', 'changes sent'));
  }
  if (result.missing) {
    parts.push(plural(result.missing, 'issue not found', 'issues not found'));
  }
  return `Synced with the trackers: ${parts.join(', ')}.`;
}

interface Draft {
  description: string;
  owner: string | null;
  due_date: string;
  status: ActionItemStatus;
  category: string;
  external_url: string;
}

const emptyDraft: Draft = {
  description: '',
  owner: null,
  due_date: '',
  status: 'open',
  category: '',
  external_url: '',
};

function draftOf(item: ActionItem): Draft {
  return {
    description: item.description,
    owner: item.owner,
    due_date: item.due_date ?? '',
    status: item.status,
    category: item.category ?? '',
    external_url: item.external_url ?? '',
  };
}

function inputOf(draft: Draft): ActionItemInput & { description: string } {
  return {
    description: draft.description.trim(),
    owner: draft.owner,
    due_date: draft.due_date || null,
    status: draft.status,
    category: draft.category.trim() || null,
    external_url: draft.external_url.trim() || null,
  };
}

const EditRow = ({
  idPrefix,
  initial,
  categories,
  busy,
  onSave,
  onCancel,
}: {
  idPrefix: string;
  initial: Draft;
  categories: string[];
  busy: boolean;
  onSave(draft: Draft): void;
  onCancel(): void;
}) => {
  const classes = useStyles();
  const [draft, setDraft] = useState(initial);
  const descriptionRef = useRef<HTMLInputElement>(null);
  // The row just opened for editing: typing goes to its first field.
  useEffect(() => descriptionRef.current?.focus(), []);
  const set = (change: Partial<Draft>) => setDraft(d => ({ ...d, ...change }));
  const urlInvalid =
    draft.external_url.trim() !== '' &&
    !/^https?:\/\/\S+$/i.test(draft.external_url.trim());
  // One cell across the table: the fields need more room than the columns.
  return (
    <TableRow>
      <TableCell colSpan={7}>
        <Box
          className={classes.form}
          role="group"
          aria-label={
            initial.description
              ? `Edit ${initial.description}`
              : 'New action item'
          }
        >
          <TextField
            id={`${idPrefix}-description`}
            label="Description"
            value={draft.description}
            onChange={e => set({ description: e.target.value })}
            size="small"
            variant="outlined"
            multiline
            required
            inputRef={descriptionRef}
            className={classes.description}
          />
          <OwnerPicker
            id={`${idPrefix}-owner`}
            value={draft.owner}
            onChange={owner => set({ owner })}
          />
          <TextField
            id={`${idPrefix}-due`}
            label="Due date"
            type="date"
            value={draft.due_date}
            onChange={e => set({ due_date: e.target.value })}
            size="small"
            variant="outlined"
            InputLabelProps={{ shrink: true }}
          />
          <TextField
            select
            id={`${idPrefix}-status`}
            label="Status"
            value={draft.status}
            onChange={e => set({ status: e.target.value as ActionItemStatus })}
            size="small"
            variant="outlined"
            style={{ minWidth: 140 }}
          >
            {ACTION_ITEM_STATUSES.map(status => (
              <MenuItem key={status} value={status}>
                {ACTION_ITEM_STATUS_LABELS[status]}
              </MenuItem>
            ))}
          </TextField>
          <Autocomplete
            id={`${idPrefix}-category`}
            freeSolo
            size="small"
            options={categories}
            inputValue={draft.category}
            onInputChange={(_e, value) => set({ category: value })}
            renderInput={params => (
              <TextField {...params} label="Category" variant="outlined" />
            )}
            style={{ minWidth: 170 }}
          />
          <TextField
            id={`${idPrefix}-link`}
            label="Link"
            value={draft.external_url}
            onChange={e => set({ external_url: e.target.value })}
            size="small"
            variant="outlined"
            placeholder="https://"
            error={urlInvalid}
            helperText={urlInvalid ? 'An http(s) URL' : undefined}
            style={{ minWidth: 240 }}
          />
          <Box display="flex" alignItems="center" style={{ gap: 4 }}>
            <Button
              color="primary"
              variant="contained"
              size="small"
              disabled={busy || !draft.description.trim() || urlInvalid}
              onClick={() => onSave(draft)}
            >
              Save
            </Button>
            <Button size="small" onClick={onCancel} disabled={busy}>
              Cancel
            </Button>
          </Box>
        </Box>
      </TableCell>
    </TableRow>
  );
};

/**
 * The action items of a post-mortem: inline editing, quick status changes,
 * AI proposals to accept or drop, and overdue items highlighted.
 */
export const ActionItemsTable = ({
  incidentId,
  items,
  categories,
  onChange,
  readOnly,
}: {
  incidentId: string;
  items: ActionItem[];
  /** Categories offered (the template's); free text is allowed too. */
  categories?: string[];
  onChange(items: ActionItem[]): void;
  readOnly?: boolean;
}) => {
  const classes = useStyles();
  const api = useApi(postmortemsApiRef);
  const [editing, setEditing] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();
  const [creatingIssue, setCreatingIssue] = useState<string>();
  const [syncing, setSyncing] = useState(false);
  const [synced, setSynced] = useState<TrackerSyncResult>();
  const today = todayIso();
  const offered = categories?.length ? categories : DEFAULT_CATEGORIES;
  // Without trackers (none configured, or an older backend) the table simply
  // offers no issues; their absence is not an error worth a banner.
  const trackerList = useAsync(
    () => api.listTrackers().catch(() => [] as IssueTracker[]),
    [api],
  );
  const trackers = trackerList.value ?? [];
  const trackerOf = (id: string | null) => trackers.find(t => t.id === id);

  /** Runs a change; a failure is shown above the table, `context` first. */
  const act = async (work: () => Promise<ActionItem[]>, context?: string) => {
    setBusy(true);
    setError(undefined);
    try {
      onChange(await work());
      setEditing(undefined);
    } catch (e) {
      const message = (e as Error).message;
      setError(context ? new Error(`${context}: ${message}`) : (e as Error));
    } finally {
      setBusy(false);
    }
  };

  const replace = (updated: ActionItem) =>
    items.map(item => (item.id === updated.id ? updated : item));

  const create = (draft: Draft) =>
    act(async () => [
      ...items,
      await api.createActionItem(incidentId, inputOf(draft)),
    ]);
  const update = (id: string, input: ActionItemInput) =>
    act(async () => replace(await api.updateActionItem(incidentId, id, input)));
  const remove = (id: string) =>
    act(async () => {
      await api.deleteActionItem(incidentId, id);
      return items.filter(item => item.id !== id);
    });
  const createIssue = async (item: ActionItem, tracker: IssueTracker) => {
    setCreatingIssue(item.id);
    await act(
      async () =>
        replace(await api.createIssue(incidentId, item.id, tracker.id)),
      `The issue could not be created in ${trackerLabel(tracker)}`,
    );
    setCreatingIssue(undefined);
  };
  // Closed issues turn items done in the backend; the items are read again
  // afterwards since any of them may have changed.
  const sync = async () => {
    setSyncing(true);
    setSynced(undefined);
    await act(async () => {
      const result = await api.syncTrackers();
      const { action_items } = await api.getPostmortem(incidentId);
      setSynced(result);
      return action_items;
    }, 'Syncing with the trackers failed');
    setSyncing(false);
  };

  return (
    <InfoCard
      title="Action items"
      action={
        !readOnly && (
          <Box className={classes.cardActions}>
            {trackers.length > 0 && (
              <Button
                startIcon={
                  syncing ? (
                    <CircularProgress size={16} aria-hidden="true" />
                  ) : (
                    <SyncIcon />
                  )
                }
                onClick={sync}
                disabled={busy || editing !== undefined}
              >
                Sync with trackers
              </Button>
            )}
            <Button
              startIcon={<AddIcon />}
              onClick={() => setEditing('new')}
              disabled={editing !== undefined}
            >
              Add action item
            </Button>
          </Box>
        )
      }
    >
      {error && (
        <Alert severity="error" style={{ marginBottom: 16 }}>
          {error.message}
        </Alert>
      )}
      {synced && !error && (
        <Typography
          role="status"
          variant="body2"
          color="textSecondary"
          style={{ marginBottom: 16 }}
        >
          {describeSync(synced)}
        </Typography>
      )}
      {/* One tracker failing does not fail the sync; it still needs saying. */}
      {synced?.errors.map(failure => {
        const tracker = trackerOf(failure.tracker);
        return (
          <Alert
            key={failure.tracker}
            severity="warning"
            style={{ marginBottom: 16 }}
          >
            {tracker ? trackerLabel(tracker) : failure.tracker} could not be
            read: {failure.message}
          </Alert>
        );
      })}
      {items.length === 0 && editing !== 'new' ? (
        <Typography color="textSecondary">
          No action items yet. Add what must change so this does not happen
          again.
        </Typography>
      ) : (
        <Box style={{ overflowX: 'auto' }}>
          <Table size="small" aria-label="Action items">
            <TableHead className={classes.head}>
              <TableRow>
                <TableCell>Description</TableCell>
                <TableCell>Owner</TableCell>
                <TableCell>Due</TableCell>
                <TableCell>Status</TableCell>
                <TableCell>Category</TableCell>
                <TableCell>Issue</TableCell>
                <TableCell>Actions</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {items.map(item => {
                if (editing === item.id) {
                  return (
                    <EditRow
                      key={item.id}
                      idPrefix={`action-item-${item.id}`}
                      initial={draftOf(item)}
                      categories={offered}
                      busy={busy}
                      onSave={draft => update(item.id, inputOf(draft))}
                      onCancel={() => setEditing(undefined)}
                    />
                  );
                }
                const overdue = isOverdue(item, today);
                const proposal = isProposal(item);
                // One issue per item: a pasted link counts as its issue too,
                // and proposals get one once someone accepts them.
                const canCreateIssue =
                  !readOnly &&
                  !proposal &&
                  !item.external_key &&
                  !item.external_url &&
                  trackers.length > 0;
                let rowClass: string | undefined;
                if (overdue) rowClass = classes.overdue;
                else if (proposal) rowClass = classes.proposal;
                return (
                  <TableRow key={item.id} className={rowClass}>
                    <TableCell>
                      {item.description}
                      {proposal && (
                        <Chip
                          size="small"
                          label="AI proposal"
                          variant="outlined"
                          className={classes.chip}
                        />
                      )}
                    </TableCell>
                    <TableCell>
                      <EntityRefOrText value={item.owner} defaultKind="user" />
                    </TableCell>
                    <TableCell>
                      {formatDate(item.due_date)}
                      {overdue && (
                        <Chip
                          size="small"
                          label="Overdue"
                          className={classes.overdueChip}
                        />
                      )}
                    </TableCell>
                    <TableCell>
                      {readOnly || proposal ? (
                        ACTION_ITEM_STATUS_LABELS[item.status]
                      ) : (
                        <TextField
                          select
                          value={item.status}
                          size="small"
                          className={classes.status}
                          disabled={busy}
                          SelectProps={{
                            SelectDisplayProps: {
                              'aria-label': `Status of ${item.description}`,
                            } as React.HTMLAttributes<HTMLDivElement>,
                          }}
                          onChange={e =>
                            update(item.id, {
                              status: e.target.value as ActionItemStatus,
                            })
                          }
                        >
                          {ACTION_ITEM_STATUSES.map(status => (
                            <MenuItem key={status} value={status}>
                              {ACTION_ITEM_STATUS_LABELS[status]}
                            </MenuItem>
                          ))}
                        </TextField>
                      )}
                    </TableCell>
                    <TableCell>{item.category ?? '—'}</TableCell>
                    <TableCell>
                      {item.external_key && (
                        <IssueChip
                          item={item}
                          tracker={trackerOf(item.tracker)}
                        />
                      )}
                      {!item.external_key && item.external_url && (
                        <Link to={item.external_url}>Ticket</Link>
                      )}
                      {canCreateIssue && (
                        <CreateIssueButton
                          item={item}
                          trackers={trackers}
                          disabled={busy || editing !== undefined}
                          creating={creatingIssue === item.id}
                          onCreate={tracker => createIssue(item, tracker)}
                        />
                      )}
                      {!item.external_key &&
                        !item.external_url &&
                        !canCreateIssue &&
                        '—'}
                    </TableCell>
                    <TableCell className={classes.actions}>
                      {!readOnly && proposal && (
                        <>
                          <Button
                            size="small"
                            color="primary"
                            startIcon={<CheckIcon />}
                            disabled={busy}
                            aria-label={`Accept ${item.description}`}
                            onClick={() => update(item.id, { accepted: true })}
                          >
                            Accept
                          </Button>
                          <Button
                            size="small"
                            startIcon={<ClearIcon />}
                            disabled={busy}
                            aria-label={`Drop ${item.description}`}
                            onClick={() => remove(item.id)}
                          >
                            Drop
                          </Button>
                        </>
                      )}
                      {!readOnly && !proposal && (
                        <>
                          <IconButton
                            size="small"
                            aria-label={`Edit ${item.description}`}
                            disabled={busy || editing !== undefined}
                            onClick={() => setEditing(item.id)}
                          >
                            <EditIcon fontSize="small" />
                          </IconButton>
                          <IconButton
                            size="small"
                            aria-label={`Delete ${item.description}`}
                            disabled={busy}
                            onClick={() => remove(item.id)}
                          >
                            <DeleteIcon fontSize="small" />
                          </IconButton>
                        </>
                      )}
                    </TableCell>
                  </TableRow>
                );
              })}
              {editing === 'new' && (
                <EditRow
                  idPrefix="action-item-new"
                  initial={emptyDraft}
                  categories={offered}
                  busy={busy}
                  onSave={create}
                  onCancel={() => setEditing(undefined)}
                />
              )}
            </TableBody>
          </Table>
        </Box>
      )}
    </InfoCard>
  );
};
