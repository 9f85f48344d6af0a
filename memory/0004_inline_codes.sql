-- paralign translation memory, schema version 4: what a TMX file carries besides plain text.
-- Append-only: never edit a migration that has shipped; add a new numbered file instead.

-- The texts of a segment stay plain (`text.body`: what lookup, matching and hashes read); the
-- inline codes of each side (TMX <bpt>, <ept>, <ph>, <it>, <ut>, <hi>) are kept apart, as
-- JSON: a list of codes, each with its place in the plain text (in characters), its element,
-- its attributes in file order and its content as XML. NULL when the side has none.
ALTER TABLE segment ADD COLUMN source_codes TEXT;
ALTER TABLE segment ADD COLUMN target_codes TEXT;

-- What the <tu> (`tu_meta`), the source <tuv> (`source_meta`) and the target <tuv>
-- (`target_meta`) of an imported unit carry that the other columns do not hold: attributes
-- (creationid, changeid, creationtool, usagecount, lastusagedate, tuid, ...) and <prop> and
-- <note> children, in file order, as JSON. NULL when there is nothing to keep. Dates, the
-- languages and paralign's own props (x-document, x-label, x-score, x-flags) live in the
-- segment's columns.
ALTER TABLE segment ADD COLUMN tu_meta TEXT;
ALTER TABLE segment ADD COLUMN source_meta TEXT;
ALTER TABLE segment ADD COLUMN target_meta TEXT;
