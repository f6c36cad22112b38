// The charts' colours, one list for every page: twelve that stay apart, so that no two event types share one.
window.MAILPULSE_PALETTE = ['#2456c7', '#e8743b', '#19a979', '#ed4a7b', '#945ecf', '#13a4b4', '#525df4', '#bf399e', '#6c8893', '#ee6868',
  '#2f6497', '#a3a500'];
