-- The owner's say in software updates (REQUIREMENTS F3): per car, what to do with each kind of update (install security
-- fixes automatically, ask for features, …), which the offer to the car carries; and the owner's answer to one offered
-- update (accepted now, or postponed until a time).
CREATE TABLE sw_preferences (
    vin         text   NOT NULL REFERENCES vehicles (vin) ON DELETE CASCADE,
    update_kind text   NOT NULL,  -- security | feature | maintenance
    decision    text   NOT NULL,  -- automatic | ask | never
    updated_at  bigint NOT NULL,
    PRIMARY KEY (vin, update_kind)
);

ALTER TABLE sw_actions ADD COLUMN owner_choice text;      -- null | accepted | postponed
ALTER TABLE sw_actions ADD COLUMN postponed_until bigint; -- with postponed: offered again from then on
