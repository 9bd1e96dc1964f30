-- The registry's roles as the warehouse holds them: anything but 'company' (outside ratings, secondary
-- compilations) is kept off the cross-company charts and labelled on its own page.
SELECT company, coalesce(name, '') AS name, role FROM company_roles ORDER BY company;
