import { entryLabelText, entryText, textParts } from './timelineText';

describe('timeline entry text', () => {
  it('says each kind of entry in words, the entities it names as refs to show by name', () => {
    const commander = entryText({
      type: 'commander_assigned',
      content: { commander: 'user:default/carla.mendes' },
    });
    expect(textParts(commander)).toEqual([
      { text: 'Incident commander: ' },
      { ref: 'user:default/carla.mendes' },
    ]);
    const deploy = entryText({
      type: 'deploy',
      content: {
        service: 'component:default/search-service',
        version: '3.9.2',
        description: 'restore number_of_shards=6',
      },
    });
    expect(textParts(deploy)).toEqual([
      { text: 'Deploy of ' },
      { ref: 'component:default/search-service' },
      { text: ' 3.9.2: restore number_of_shards=6' },
    ]);
    expect(entryLabelText(deploy)).toBe(
      'Deploy of search-service 3.9.2: restore number_of_shards=6',
    );
    expect(entryText({ type: 'postmortem_created', content: {} })).toBe(
      'Post-mortem started',
    );
  });

  it('leaves chat as written: a time or a URL is not an entity', () => {
    const text = 'at 14:31 p95 was back, see https://grafana.example/d/1';
    expect(textParts(text)).toEqual([{ text }]);
  });
});
