/**
 * A post-mortem written in many scripts, as teams write them: Latin with
 * diacritics (Polish, Czech, Turkish, Swedish, German, Portuguese), Greek,
 * Cyrillic, Chinese and Japanese, Korean, Arabic, Hebrew, Devanagari and an
 * emoji. Every export must carry these words unchanged.
 */
export const MULTI_SCRIPT_WORDS = {
  polish: 'Łódź',
  swedish: 'Ångström',
  german: 'Zoë',
  portuguese: 'São Paulo',
  turkish: 'Türkçe',
  czech: 'Čeština',
  greek: 'Ελληνικά',
  cyrillic: 'Русский',
  chinese: '東京',
  japanese: 'ひらがな',
  korean: '한국어',
  arabic: 'العربية',
  hebrew: 'עברית',
  devanagari: 'सेवा',
  emoji: '🚀',
} as const;

/** An incident title in several scripts, right-to-left and an emoji among them. */
export const MULTI_SCRIPT_TITLE = 'Ausfall Łódź 東京 القاهرة תל אביב Ελλάδα 🚀';

/**
 * Characters that change how text is laid out without being text: bidi
 * marks, embeddings, overrides and isolates. An exporter that adds them has
 * changed what was written.
 */
export const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/** The paragraphs of the multi-script post-mortem's summary, each as written. */
export function multiScriptParagraphs(title: string): string[] {
  return multiScriptMarkdown(title)
    .split('## Summary')[1]
    .split('\n')
    .map(line => line.trim())
    .filter(Boolean);
}

/** The multi-script post-mortem's Markdown under `title`. */
export function multiScriptMarkdown(title: string): string {
  const w = MULTI_SCRIPT_WORDS;
  return [
    `# ${title}`,
    '',
    '## Summary',
    '',
    `Der Ausfall traf Kunden in ${w.polish}, ${w.chinese} und ${w.portuguese}; ${w.german} ${w.swedish} leitete ${w.emoji}`,
    '',
    `${w.turkish}: hizmet çöktü. ${w.czech}: služba spadla.`,
    '',
    `${w.greek}: η υπηρεσία έπεσε. ${w.cyrillic}: сервис упал.`,
    '',
    `日本語: ${w.japanese} カタカナ. ${w.korean}: 서비스 장애`,
    '',
    `${w.arabic}: توقفت الخدمة`,
    '',
    `${w.hebrew}: השירות נפל`,
    '',
    `हिन्दी: ${w.devanagari} बंद`,
    '',
  ].join('\n');
}
