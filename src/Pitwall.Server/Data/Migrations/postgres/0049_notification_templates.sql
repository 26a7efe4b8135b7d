-- A notification's words as its feature's template key and the values of its placeholders (a JSON object), rendered when
-- read in the reader's language and time zone. message keeps the English text (UTC); rows written before templates have
-- no template and read as their message.
ALTER TABLE notifications ADD COLUMN template text;
ALTER TABLE notifications ADD COLUMN args text;
