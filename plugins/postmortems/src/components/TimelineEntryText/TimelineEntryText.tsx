import { Fragment } from 'react';
import { textParts } from '../../domain/timelineText';
import { EntityRefOrText } from '../EntityRefOrText';

/**
 * A timeline entry's line with the catalog entities it names (a commander,
 * a deployed service) shown by their catalog names, linked, never as refs.
 */
export const TimelineEntryText = ({ text }: { text: string }) => (
  <>
    {textParts(text).map((part, i) =>
      'ref' in part ? (
        <EntityRefOrText key={i} value={part.ref} />
      ) : (
        <Fragment key={i}>{part.text}</Fragment>
      ),
    )}
  </>
);
