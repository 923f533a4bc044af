"""The desk's panes and bars: the opinion list and its pages, the case, the details, the tabs."""
