-- A relationship is recorded once: staff now record relationships on the person page, and
-- two people recording the same one at the same moment must not store it twice. Symmetric
-- relationships (sibling, partner, household) are stored with the lower person id first.
CREATE UNIQUE INDEX relationships_once ON relationships(person_id, related_person_id, relationship);
