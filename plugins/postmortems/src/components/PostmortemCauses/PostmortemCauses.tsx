import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  Box,
  Button,
  Checkbox,
  Chip,
  FormControl,
  FormControlLabel,
  FormGroup,
  FormHelperText,
  makeStyles,
  Typography,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import type { PostmortemCauses as Causes } from '@postmortems-oss/backstage-plugin-postmortems-common';
import { useEffect, useRef, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { PostmortemsApiError, postmortemsApiRef } from '../../api';
import { useAnnouncer } from '../../hooks/useAnnouncer';
import { useFocusRing, useFocusTargetClass } from '../accessibility';
import { causeLabel, causesErrorWords } from './causeWords';

const useStyles = makeStyles(theme => ({
  options: {
    display: 'flex',
    flexWrap: 'wrap',
    columnGap: theme.spacing(3),
  },
  option: {
    display: 'flex',
    alignItems: 'center',
  },
  suggested: {
    marginLeft: theme.spacing(-1),
    fontStyle: 'italic',
  },
  chips: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
    listStyle: 'none',
    margin: 0,
    padding: 0,
  },
  actions: {
    marginTop: theme.spacing(2),
  },
}));

const SUBHEADER =
  'File the cause under categories: recurrences are recognised by them';

function sameSet(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every(c => b.includes(c));
}

/**
 * What the form offers: the template's categories, then any chosen category
 * the template no longer offers (so that it can be unchecked).
 */
function optionsOf(causes: Causes): string[] {
  return [
    ...causes.available,
    ...causes.categories.filter(c => !causes.available.includes(c)),
  ];
}

/**
 * The cause categories a post-mortem is filed under, chosen from its
 * template's, with those its root cause suggests marked. Saving them lets
 * the backend recognise recurrences; `onSaved` is told, e.g. to read the
 * recurrences again. Readers who may not edit see the chosen categories only.
 */
export const PostmortemCauses = ({
  incidentId,
  readOnly,
  onSaved,
}: {
  incidentId: string;
  readOnly?: boolean;
  onSaved?(causes: Causes): void;
}) => {
  const classes = useStyles();
  const api = useApi(postmortemsApiRef);
  const announce = useAnnouncer();
  const focusRing = useFocusRing();
  const focusTarget = useFocusTargetClass();
  const groupRef = useRef<HTMLDivElement>(null);
  const loaded = useAsync(() => api.getCauses(incidentId), [api, incidentId]);
  // The last save's answer replaces what was read.
  const [saved, setSaved] = useState<Causes>();
  // What the author ticked; undefined while it is what is saved.
  const [chosen, setChosen] = useState<string[]>();
  const [saving, setSaving] = useState(false);
  const [fieldError, setFieldError] = useState<string>();
  const [error, setError] = useState<Error>();
  // The backend refused a save to this reader: no form for them any more.
  const [forbidden, setForbidden] = useState(false);
  // Another incident's post-mortem starts from what is saved for it.
  useEffect(() => {
    setSaved(undefined);
    setChosen(undefined);
    setFieldError(undefined);
    setError(undefined);
    setForbidden(false);
  }, [incidentId]);

  const causes = saved ?? loaded.value;
  const card = (children: JSX.Element) => (
    <InfoCard title="Causes" subheader={SUBHEADER}>
      {children}
    </InfoCard>
  );

  if (!causes) {
    if (loaded.error) {
      return card(
        <Alert severity="error">
          The cause categories could not be read: {loaded.error.message}
        </Alert>,
      );
    }
    return card(<Progress />);
  }

  if (readOnly || forbidden) {
    return card(
      <>
        {error && (
          <Box mb={2}>
            <Alert severity="error">{error.message}</Alert>
          </Box>
        )}
        {causes.categories.length ? (
          <ul className={classes.chips} aria-label="Cause categories">
            {causes.categories.map(category => (
              <li key={category}>
                <Chip size="small" label={causeLabel(category)} />
              </li>
            ))}
          </ul>
        ) : (
          <Typography variant="body2" color="textSecondary">
            Not filed under a cause category yet.
          </Typography>
        )}
      </>,
    );
  }

  const options = optionsOf(causes);
  const selected = chosen ?? causes.categories;
  const changed = !sameSet(selected, causes.categories);
  const errorId = `postmortem-causes-error-${incidentId}`;

  const toggle = (category: string, checked: boolean) => {
    setFieldError(undefined);
    setChosen(
      checked
        ? [...selected.filter(c => c !== category), category]
        : selected.filter(c => c !== category),
    );
  };

  const save = async () => {
    setSaving(true);
    setFieldError(undefined);
    setError(undefined);
    try {
      const answer = await api.setCauses(
        incidentId,
        options.filter(c => selected.includes(c)),
      );
      setSaved(answer);
      setChosen(undefined);
      announce('Causes saved');
      // The disabled button let go of focus; the saved choice takes it.
      groupRef.current?.focus();
      onSaved?.(answer);
    } catch (e) {
      if (e instanceof PostmortemsApiError && e.status === 400) {
        setFieldError(causesErrorWords(e.message));
      } else {
        if (e instanceof PostmortemsApiError && e.status === 403) {
          setForbidden(true);
        }
        setError(e as Error);
      }
    } finally {
      setSaving(false);
    }
  };

  return card(
    <>
      <FormControl error={Boolean(fieldError)} fullWidth>
        <FormGroup
          role="group"
          aria-label="Cause categories"
          aria-describedby={fieldError ? errorId : undefined}
          className={`${classes.options} ${focusTarget}`}
          ref={groupRef}
          tabIndex={-1}
        >
          {options.map((category, index) => {
            const suggested = causes.suggested.includes(category);
            const hintId = `postmortem-cause-${incidentId}-${index}-suggested`;
            return (
              <div key={category} className={classes.option}>
                <FormControlLabel
                  control={
                    <Checkbox
                      color="primary"
                      checked={selected.includes(category)}
                      onChange={event => toggle(category, event.target.checked)}
                      disabled={saving}
                      name={category}
                      inputProps={
                        suggested ? { 'aria-describedby': hintId } : undefined
                      }
                    />
                  }
                  label={causeLabel(category)}
                />
                {suggested && (
                  <Typography
                    id={hintId}
                    variant="caption"
                    color="textSecondary"
                    className={classes.suggested}
                  >
                    suggested by the root cause
                  </Typography>
                )}
              </div>
            );
          })}
        </FormGroup>
        {fieldError && (
          <FormHelperText id={errorId} role="alert">
            {fieldError}
          </FormHelperText>
        )}
      </FormControl>
      {error && (
        <Box mt={2}>
          <Alert severity="error">
            The causes could not be saved: {error.message}
          </Alert>
        </Box>
      )}
      <Box className={classes.actions}>
        <Button
          variant="contained"
          color="primary"
          onClick={save}
          disabled={!changed || saving}
          {...focusRing}
        >
          Save causes
        </Button>
      </Box>
    </>,
  );
};
