-- Files that were not read, or were read but gave no facts, with the reason.
SELECT source_file, status, coalesce(error, 'read, but no facts found') AS reason
FROM v_documents
WHERE status <> 'ok' OR n_facts = 0
ORDER BY status, source_file;
