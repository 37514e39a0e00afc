"""What the dataset is and where to get it: downloads of ``dist/``, its DCAT catalog and VoID."""
