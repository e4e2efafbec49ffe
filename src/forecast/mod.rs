//! Forward-looking models of each customer's purchases, fitted on the whole
//! history: whether a customer is still active and how much it is expected
//! to buy (BG/NBD, `bgnbd`). Pure computation: the summaries come in, the
//! fitted model goes out.

pub mod bgnbd;
mod optimize;
mod special;
