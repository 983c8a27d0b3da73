import { parseMarkdown } from '@postmortems-oss/backstage-plugin-postmortems-node';
import { NotionBlock, toNotionBlocks } from './notionBlocks';
import { batches } from './NotionTarget';

const childrenOf = (block: NotionBlock) =>
  (block[block.type] as { children?: NotionBlock[] }).children ?? [];

describe('toNotionBlocks', () => {
  it('nests list items two levels deep and lifts deeper ones after their parent', () => {
    const blocks = toNotionBlocks(
      parseMarkdown('- one\n  - two\n    - three\n      - four\n- five'),
    );
    expect(blocks.map(b => b.type)).toEqual([
      'bulleted_list_item',
      'bulleted_list_item',
    ]);
    const two = childrenOf(blocks[0])[0];
    const level2 = childrenOf(two);
    // "three" sits at the deepest level Notion takes; "four" follows it there.
    expect(
      level2.map(b => JSON.stringify(b).match(/"content":"(\w+)"/)![1]),
    ).toEqual(['three', 'four']);
    expect(level2.every(b => childrenOf(b).length === 0)).toBe(true);
  });

  it('continues long tables in another table with the header repeated', () => {
    const rows = Array.from({ length: 150 }, (_, i) => `| ${i} | x |`);
    const blocks = toNotionBlocks(
      parseMarkdown(['| n | v |', '| --- | --- |', ...rows].join('\n')),
    );
    expect(blocks.map(b => childrenOf(b).length)).toEqual([100, 52]);
    expect(JSON.stringify(childrenOf(blocks[1])[0])).toContain('"content":"n"');
  });

  it('splits text needing more than 100 rich text objects into several blocks', () => {
    const marked = Array.from({ length: 150 }, (_, i) => `**b${i}** t`).join(
      ' ',
    );
    const blocks = toNotionBlocks(parseMarkdown(marked));
    expect(blocks.map(b => (b.paragraph as any).rich_text.length)).toEqual([
      100, 100, 100,
    ]);
  });

  it('maps code fences to Notion languages and unknown ones to plain text', () => {
    const [ts, other] = toNotionBlocks(
      parseMarkdown('```ts\nconst a = 1;\n```\n\n```brainfuck\n+++\n```'),
    );
    expect((ts.code as any).language).toBe('typescript');
    expect((other.code as any).language).toBe('plain text');
  });
});

describe('batches', () => {
  it('sends at most 100 blocks, and 1,000 counting nested ones, per request', () => {
    const paragraph: NotionBlock = {
      object: 'block',
      type: 'paragraph',
      paragraph: { rich_text: [] },
    };
    expect(batches(Array(250).fill(paragraph)).map(b => b.length)).toEqual([
      100, 100, 50,
    ]);
    const table = toNotionBlocks(
      parseMarkdown(
        ['| a |', '| --- |', ...Array(98).fill('| x |')].join('\n'),
      ),
    )[0];
    // 100 blocks each (the table and its 99 rows): ten fit in one request.
    expect(batches(Array(25).fill(table)).map(b => b.length)).toEqual([
      10, 10, 5,
    ]);
  });
});
