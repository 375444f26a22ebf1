(* The statements a certificate proves: a finite MDP over the rationals, (s,a)-rectangular
   uncertainty sets, robust Bellman operators, and what "V is the robust value of pi" and
   "pi is robust-optimal" mean.  Nothing here is an algorithm: these definitions are what a
   reader has to trust (docs/formal.md shows them), the checker in Checker.v is proved against
   them.  Conventions as in docs/claims.md: costs, nature MAXIMISES, the agent minimises. *)
From Coq Require Import QArith Qabs List.
Import ListNotations.
Open Scope Q_scope.

(* Vectors are lists of rationals, indexed from 0. *)
Fixpoint sum (x : list Q) : Q :=
  match x with [] => 0 | a :: x' => a + sum x' end.

(* <x, y> = sum_i x_i y_i *)
Fixpoint dot (x y : list Q) : Q :=
  match x, y with a :: x', b :: y' => a * b + dot x' y' | _, _ => 0 end.

(* ||x - y||_1 *)
Fixpoint l1dist (x y : list Q) : Q :=
  match x, y with a :: x', b :: y' => Qabs (a - b) + l1dist x' y' | _, _ => 0 end.

(* sum_{k < n} f k *)
Fixpoint sum_to (f : nat -> Q) (n : nat) : Q :=
  match n with O => 0 | S n' => sum_to f n' + f n' end.

(* p is a probability vector over n states *)
Definition is_distribution (n : nat) (p : list Q) : Prop :=
  length p = n /\ Forall (Qle 0) p /\ sum p == 1.

(* The data of U_{s,a} (docs/format.md); the nominal row P_N(.|s,a) comes from the MDP. *)
Inductive uset :=
  | UNone                              (* {P_N(.|s,a)} *)
  | UL1 (r : Q)                        (* {p in simplex : ||p - P_N(.|s,a)||_1 <= r} *)
  | UInterval (lower upper : list Q)   (* {p in simplex : lower <= p <= upper} *)
  | UFinite (points : list (list Q)).  (* convex hull of the listed distributions *)

(* p = sum_k w_k x_k, componentwise over n states *)
Definition combination (n : nat) (w : list Q) (xs : list (list Q)) (p : list Q) : Prop :=
  length p = n /\ length w = length xs /\
  forall i, (i < n)%nat -> nth i p 0 == dot w (map (fun x => nth i x 0) xs).

(* p in U_{s,a}, for nominal row q and n states *)
Definition in_set (n : nat) (q : list Q) (u : uset) (p : list Q) : Prop :=
  match u with
  | UNone => length p = n /\ Forall2 Qeq p q
  | UL1 r => is_distribution n p /\ l1dist p q <= r
  | UInterval lower upper => is_distribution n p /\ Forall2 Qle lower p /\ Forall2 Qle p upper
  | UFinite points => exists w, is_distribution (length points) w /\ combination n w points p
  end.

(* m = max_{p in U} <p, V>: an upper bound over every p of the set, attained by one of them. *)
Definition is_max_over (n : nat) (q : list Q) (u : uset) (V : list Q) (m : Q) : Prop :=
  (forall p, in_set n q u p -> dot p V <= m) /\
  (exists p, in_set n q u p /\ dot p V == m).

(* A finite MDP: n states, m actions, discount gamma, cost c(s,a), nominal kernel
   P_N(s'|s,a) = kernel[s][a][s'], and the set data of U_{s,a} = unc[s][a]. *)
Record mdp := {
  nS : nat; nA : nat; gamma : Q;
  cost : list (list Q);
  kernel : list (list (list Q));
  unc : list (list uset) }.

Definition at2 {X} (d : X) (m : list (list X)) (s a : nat) : X := nth a (nth s m []) d.
Definition c (M : mdp) s a := at2 0 (cost M) s a.
Definition nominal (M : mdp) s a := at2 [] (kernel M) s a.
Definition uset_at (M : mdp) s a := at2 UNone (unc M) s a.

(* A (stochastic) policy: pi[s][a] = pi(a|s). *)
Definition policy := list (list Q).
Definition pol (pi : policy) s a := at2 0 pi s a.

Definition valid_discount (M : mdp) : Prop := 0 <= gamma M /\ gamma M < 1.

(* W s a = max_{p in U_{s,a}} <p, V> for every (s,a). *)
Definition worst_values (M : mdp) (V : list Q) (W : nat -> nat -> Q) : Prop :=
  forall s a, (s < nS M)%nat -> (a < nA M)%nat ->
    is_max_over (nS M) (nominal M s a) (uset_at M s a) V (W s a).

(* robust Q: c(s,a) + gamma max_{p in U_{s,a}} <p, V> *)
Definition robust_q (M : mdp) (W : nat -> nat -> Q) s a := c M s a + gamma M * W s a.

(* V = T_r^pi V:  V(s) = sum_a pi(a|s) [c(s,a) + gamma max_{p in U_{s,a}} <p, V>]. *)
Definition is_robust_value (M : mdp) (pi : policy) (V : list Q) : Prop :=
  valid_discount M /\ length V = nS M /\
  exists W, worst_values M V W /\
    forall s, (s < nS M)%nat ->
      nth s V 0 == sum_to (fun a => pol pi s a * robust_q M W s a) (nA M).

(* V = T_r V (V(s) = min_a robust Q) and pi is a policy greedy for it (V = T_r^pi V). *)
Definition is_robust_optimal (M : mdp) (pi : policy) (V : list Q) : Prop :=
  valid_discount M /\ length V = nS M /\
  exists W, worst_values M V W /\
    forall s, (s < nS M)%nat ->
      (forall a, (a < nA M)%nat -> nth s V 0 <= robust_q M W s a) /\
      (exists a, (a < nA M)%nat /\ nth s V 0 == robust_q M W s a) /\
      (forall a, (a < nA M)%nat -> 0 <= pol pi s a) /\
      sum_to (pol pi s) (nA M) == 1 /\
      nth s V 0 == sum_to (fun a => pol pi s a * robust_q M W s a) (nA M).
