"""Identifying personal data: finding it (shapes, names, the deny-list), masking it in everything kscb prints, refusing it at the doors, and purging it from history."""
