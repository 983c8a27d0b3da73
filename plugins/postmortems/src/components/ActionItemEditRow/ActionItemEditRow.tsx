import {
  Box,
  Button,
  makeStyles,
  MenuItem,
  TableCell,
  TableRow,
  TextField,
  Theme,
  Typography,
} from '@material-ui/core';
import Autocomplete from '@material-ui/lab/Autocomplete';
import {
  ACTION_ITEM_STATUSES,
  ActionItem,
  ActionItemStatus,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { useEffect, useRef, useState } from 'react';
import { ActionItemInput } from '../../api';
import { ACTION_ITEM_STATUS_LABELS } from '../../domain/actionItems';
import { secondaryText, useFocusRing } from '../accessibility';
import { OwnerPicker } from '../OwnerPicker';

const useStyles = makeStyles((theme: Theme) => ({
  form: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'flex-start',
    gap: theme.spacing(2),
    padding: theme.spacing(1, 0),
  },
  description: { flex: '1 1 320px' },
  reason: { color: secondaryText(theme) },
}));

/** An action item's fields as typed, before they are trimmed and sent. */
export interface ActionItemDraft {
  description: string;
  owner: string | null;
  due_date: string;
  status: ActionItemStatus;
  category: string;
  external_url: string;
}

export const emptyActionItemDraft: ActionItemDraft = {
  description: '',
  owner: null,
  due_date: '',
  status: 'open',
  category: '',
  external_url: '',
};

export function draftOfActionItem(item: ActionItem): ActionItemDraft {
  return {
    description: item.description,
    owner: item.owner,
    due_date: item.due_date ?? '',
    status: item.status,
    category: item.category ?? '',
    external_url: item.external_url ?? '',
  };
}

export function inputOfActionItemDraft(
  draft: ActionItemDraft,
): ActionItemInput & { description: string } {
  return {
    description: draft.description.trim(),
    owner: draft.owner,
    due_date: draft.due_date || null,
    status: draft.status,
    category: draft.category.trim() || null,
    external_url: draft.external_url.trim() || null,
  };
}

export interface ActionItemEditRowProps {
  idPrefix: string;
  initial: ActionItemDraft;
  categories: string[];
  busy: boolean;
  onSave(draft: ActionItemDraft): void;
  onCancel(): void;
}

/** A table row with the fields of a new or edited action item. */
export const ActionItemEditRow = ({
  idPrefix,
  initial,
  categories,
  busy,
  onSave,
  onCancel,
}: ActionItemEditRowProps) => {
  const classes = useStyles();
  const [draft, setDraft] = useState(initial);
  const descriptionRef = useRef<HTMLInputElement>(null);
  // The row just opened for editing: typing goes to its first field.
  useEffect(() => descriptionRef.current?.focus(), []);
  const set = (change: Partial<ActionItemDraft>) =>
    setDraft(d => ({ ...d, ...change }));
  const focusRing = useFocusRing();
  const urlInvalid =
    draft.external_url.trim() !== '' &&
    !/^https?:\/\/\S+$/i.test(draft.external_url.trim());
  // A disabled button cannot be focused, so why Save is off is written next
  // to it and tied to it for screen readers.
  let saveBlockedBy: string | undefined;
  if (!draft.description.trim()) saveBlockedBy = 'Add a description to save.';
  else if (urlInvalid) saveBlockedBy = 'Correct the link to save.';
  const reasonId = `${idPrefix}-save-reason`;
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
            // ARIA 1.2 asks a combobox to name what it controls; MUI v4 names
            // its popup only with the older aria-owns.
            aria-controls={`${idPrefix}-category-popup`}
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
              {...focusRing}
              disabled={busy || saveBlockedBy !== undefined}
              aria-describedby={saveBlockedBy ? reasonId : undefined}
              onClick={() => onSave(draft)}
            >
              Save
            </Button>
            <Button size="small" onClick={onCancel} disabled={busy}>
              Cancel
            </Button>
            {saveBlockedBy && (
              <Typography
                variant="caption"
                id={reasonId}
                className={classes.reason}
              >
                {saveBlockedBy}
              </Typography>
            )}
          </Box>
        </Box>
      </TableCell>
    </TableRow>
  );
};
