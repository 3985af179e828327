"""The organisation record (机构档案): identity, contacts and a timeline of facts with provenance and
verification. Facts are the only way information about an organisation enters the platform."""
