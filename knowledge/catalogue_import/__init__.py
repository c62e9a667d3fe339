"""Import of a city's published service-matter list (issue 17): read a spreadsheet, CSV or JSON
file (:mod:`.read`), clean and check each row (:mod:`.clean`, pure), and upsert the matters into
the shared database (:mod:`.store`). ``demo_catalogue.csv`` is the demo city's list, made by
``make_demo.py`` and loaded on ``make run`` (:mod:`.seed`)."""
