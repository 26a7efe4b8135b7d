-- A bought package belongs to its buyer: when the buyer loses access to the car (unpairing, account erasure), the
-- contract no longer serves the car nor shows to its next users; it comes back if the buyer pairs the car again.
-- Null while the buyer uses the car, and always for the packages included with the car (they stay with it).
ALTER TABLE contracts ADD COLUMN buyer_left_at bigint;
