-- Uptane vehicle version manifests (REQUIREMENTS F3): what each component of a car runs (version, image SHA-256 and length), as the
-- car signed it with its own key. Only the latest verified manifest is kept; the car's key is pinned at its first manifest.
CREATE TABLE sw_manifests (
    controller_id text    PRIMARY KEY REFERENCES sw_targets (controller_id) ON DELETE CASCADE,
    key_id        text,              -- the car's pinned key (SHA-256 of its TUF key object); null until a manifest verified
    public_key    text,              -- its PEM (SubjectPublicKeyInfo)
    document      text,              -- the latest verified manifest, as signed (JSON)
    signed_at     bigint,            -- its signing time (epoch ms): an older manifest is refused as replayed
    received_at   bigint,
    last_refusal  text,              -- the code the latest refused manifest got (manifest_bad_signature, …), or null
    refused_at    bigint
);
