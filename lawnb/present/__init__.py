"""What a reader sees, made from a loaded dataset: the views the notebooks show (``views``),
charts (tables in, Figure out: ``charts``), Chinese sentences (``narrative``), showing a page's
pieces (``display``), the notebooks' parameter checks (``parameters``), the source line and
fictional-data rule (``sources``) and the mandated parts' order (``parts``)."""
