import { ListSubheader, makeStyles, TextField } from '@material-ui/core';
import Autocomplete from '@material-ui/lab/Autocomplete';
import {
  OwnerOption,
  shortRef,
  useOwnerOptions,
} from '../../hooks/useOwnerOptions';

const useStyles = makeStyles({
  // The nested list loses the browser's list indentation, as MUI's own does.
  options: { padding: 0 },
});

/**
 * Picks a catalog user or group by display name; the value is its entity ref.
 */
export const OwnerPicker = ({
  value,
  onChange,
  label = 'Owner',
  id,
}: {
  value: string | null;
  onChange(ref: string | null): void;
  label?: string;
  id?: string;
}) => {
  const classes = useStyles();
  const owners = useOwnerOptions();
  const listId = id ?? 'owner-picker';
  const options = owners.value ?? [];
  const selected: OwnerOption | null = value
    ? options.find(o => o.ref === value) ?? {
        ref: value,
        kind: value.startsWith('group:') ? 'Group' : 'User',
        label: shortRef(value),
      }
    : null;
  const all =
    selected && !options.some(o => o.ref === selected.ref)
      ? [...options, selected]
      : options;
  return (
    <Autocomplete
      id={listId}
      // ARIA 1.2 asks a combobox to name what it controls; MUI v4 names its
      // popup only with the older aria-owns.
      aria-controls={`${listId}-popup`}
      size="small"
      options={all}
      value={selected}
      loading={owners.loading}
      groupBy={option => (option.kind === 'Group' ? 'Groups' : 'Users')}
      // Each group is an ARIA group named by its heading, holding the options
      // directly: MUI's default puts them in a plain list inside the listbox,
      // which hides options and groups from screen readers.
      renderGroup={params => {
        const headingId = `${listId}-group-${params.key}`;
        return (
          <li key={params.key} role="group" aria-labelledby={headingId}>
            <ListSubheader component="div" id={headingId}>
              {params.group}
            </ListSubheader>
            <ul role="presentation" className={classes.options}>
              {params.children}
            </ul>
          </li>
        );
      }}
      getOptionLabel={option => option.label}
      getOptionSelected={(option, v) => option.ref === v.ref}
      onChange={(_event, option) => onChange(option ? option.ref : null)}
      renderInput={params => (
        <TextField
          {...params}
          label={label}
          variant="outlined"
          helperText={
            owners.error ? 'The catalog could not be read' : undefined
          }
        />
      )}
      style={{ minWidth: 200 }}
    />
  );
};
