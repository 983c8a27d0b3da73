import { Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { makeStyles, Typography } from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import type {
  RecurrenceLink,
  Recurrences,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { Fragment } from 'react';
import { incidentRouteRef } from '../../routes';
import { EntityRefOrText } from '../EntityRefOrText';
import { causeWords, joinWords, timeBeforeInWords } from '../PostmortemCauses';

const useStyles = makeStyles(theme => ({
  notice: { marginTop: theme.spacing(2) },
  title: { fontWeight: theme.typography.fontWeightMedium as number },
}));

/** "A", "A and B", "A, B and C", each service by its catalog name. */
const ServiceNames = ({ services }: { services: string[] }) => (
  <>
    {services.map((service, index) => (
      <Fragment key={service}>
        {index > 0 && (index === services.length - 1 ? ' and ' : ', ')}
        <EntityRefOrText value={service} defaultKind="component" />
      </Fragment>
    ))}
  </>
);

/**
 * The facts of one recurrence: what both incidents share, and how long
 * before the later one began the earlier one's action items were all done.
 * `earlier` names the post-mortem whose items they were, `later` the
 * incident that began after them.
 */
const Facts = ({
  link,
  earlier,
  later,
}: {
  link: RecurrenceLink;
  earlier: string;
  later: string;
}) => {
  const classes = useStyles();
  const items =
    link.items === 1
      ? `The action item of ${earlier} was done`
      : `All ${link.items} action items of ${earlier} were done`;
  const cause = link.categories.length
    ? `filed as ${joinWords(link.categories.map(causeWords))}`
    : '';
  let shared: JSX.Element | string = '';
  if (link.services.length) {
    shared = (
      <>
        {link.services.length === 1 ? 'Same service ' : 'Same services '}
        <ServiceNames services={link.services} />
        {cause ? `, cause ${cause}. ` : '. '}
      </>
    );
  } else if (cause) {
    shared = `Cause ${cause}. `;
  }
  return (
    <>
      <Typography variant="body2" className={classes.title}>
        {link.title}
      </Typography>
      <Typography variant="body2">
        {shared}
        {items} {timeBeforeInWords(link.after_ms)} before {later} began.
      </Typography>
    </>
  );
};

/**
 * Says when this incident's cause came back after an earlier post-mortem's
 * action items were all done ("Recurrence of INC-6"), and when this
 * post-mortem's cause came back later ("Came back in INC-9"). Nothing when
 * there is neither, or they could not be read.
 */
export const RecurrenceNotice = ({
  recurrences,
}: {
  recurrences?: Recurrences;
}) => {
  const classes = useStyles();
  const incidentRoute = useRouteRef(incidentRouteRef);
  if (!recurrences) return null;
  const { recurrence_of: earlier, recurred_in: later } = recurrences;
  if (!earlier.length && !later.length) return null;

  const link = (reference: string) => (
    <Link to={incidentRoute({ incidentId: reference })}>{reference}</Link>
  );

  return (
    <div role="region" aria-label="Recurrence">
      {earlier.map(item => (
        <Alert
          key={`of-${item.postmortem_id}`}
          severity="warning"
          className={classes.notice}
        >
          <AlertTitle>Recurrence of {link(item.reference)}</AlertTitle>
          <Facts link={item} earlier={item.reference} later="this incident" />
        </Alert>
      ))}
      {later.map(item => (
        <Alert
          key={`in-${item.postmortem_id}`}
          severity="info"
          className={classes.notice}
        >
          <AlertTitle>Came back in {link(item.reference)}</AlertTitle>
          <Facts
            link={item}
            earlier="this post-mortem"
            later={item.reference}
          />
        </Alert>
      ))}
    </div>
  );
};
