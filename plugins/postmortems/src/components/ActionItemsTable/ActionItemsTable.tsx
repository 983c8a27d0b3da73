import { InfoCard } from '@backstage/core-components';
import {
  Box,
  makeStyles,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import { ActionItem } from '@postmortems-oss/backstage-plugin-postmortems-common';
import { todayIso } from '../../domain/time';
import {
  ActionItemEditRow,
  draftOfActionItem,
  emptyActionItemDraft,
  inputOfActionItemDraft,
} from '../ActionItemEditRow';
import { TrackerSyncReport, TrackerToolbar } from '../TrackerToolbar';
import { ActionItemRow } from './ActionItemRow';
import { useActionItems } from './useActionItems';

const DEFAULT_CATEGORIES = ['prevention', 'detection', 'mitigation', 'process'];

const useStyles = makeStyles({
  // Short headings ("Due") must not break when the issue column takes room.
  head: { '& th': { whiteSpace: 'nowrap' } },
});

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
  const state = useActionItems(incidentId, items, onChange);
  const { editing, busy, error, trackers } = state;
  const today = todayIso();
  const offered = categories?.length ? categories : DEFAULT_CATEGORIES;

  return (
    <InfoCard
      title="Action items"
      action={
        !readOnly && (
          <TrackerToolbar
            hasTrackers={trackers.length > 0}
            syncing={state.syncing}
            busy={busy}
            editing={editing !== undefined}
            onSync={state.sync}
            onAdd={() => state.startEditing('new')}
          />
        )
      }
    >
      {error && (
        <Alert severity="error" style={{ marginBottom: 16 }}>
          {error.message}
        </Alert>
      )}
      <TrackerSyncReport
        synced={state.synced}
        failed={Boolean(error)}
        trackers={trackers}
      />
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
              {items.map(item =>
                editing === item.id ? (
                  <ActionItemEditRow
                    key={item.id}
                    idPrefix={`action-item-${item.id}`}
                    initial={draftOfActionItem(item)}
                    categories={offered}
                    busy={busy}
                    errors={state.formError}
                    onFieldChange={state.fieldChanged}
                    onSave={draft =>
                      state.save(item.id, inputOfActionItemDraft(draft))
                    }
                    onCancel={state.stopEditing}
                  />
                ) : (
                  <ActionItemRow
                    key={item.id}
                    item={item}
                    today={today}
                    readOnly={readOnly}
                    busy={busy}
                    editing={editing !== undefined}
                    trackers={trackers}
                    creatingIssue={state.creatingIssue === item.id}
                    focusRequested={state.focusItem === item.id}
                    onFocused={state.focused}
                    onUpdate={input => state.update(item.id, input)}
                    onRemove={() => state.remove(item.id)}
                    onEdit={() => state.startEditing(item.id)}
                    onCreateIssue={tracker => state.createIssue(item, tracker)}
                  />
                ),
              )}
              {editing === 'new' && (
                <ActionItemEditRow
                  idPrefix="action-item-new"
                  initial={emptyActionItemDraft}
                  categories={offered}
                  busy={busy}
                  errors={state.formError}
                  onFieldChange={state.fieldChanged}
                  onSave={draft => state.create(inputOfActionItemDraft(draft))}
                  onCancel={state.stopEditing}
                />
              )}
            </TableBody>
          </Table>
        </Box>
      )}
    </InfoCard>
  );
};
